/* opt: built at -O2 to get inlined calls and variables that live in wasm
 * locals (location lists). Built by dwarf/testdata/build.sh. */
#include <stdio.h>

struct acc { int sum; int count; };

static inline __attribute__((always_inline)) int square(int v) {
  int sq = v * v;
  return sq;
}

static inline __attribute__((always_inline)) void accumulate(struct acc *a, int v) {
  int s = square(v);
  a->sum += s;
  a->count++;
}

__attribute__((noinline)) int sum_squares(const int *xs, int n) {
  struct acc a = {0, 0};
  for (int i = 0; i < n; i++) {
    int v = xs[i];
    accumulate(&a, v);
  }
  return a.sum;
}

__attribute__((noinline)) unsigned hash(const char *s) {
  unsigned h = 2166136261u;
  while (*s) {
    unsigned char c = (unsigned char)*s++;
    h = (h ^ c) * 16777619u;
  }
  return h;
}

__attribute__((noinline)) long long mix(long long a, int b) {
  long long r = a * 31 + b;
  int shifted = b << 3;
  return r ^ shifted;
}

static int counter;

int main(int argc, char **argv) {
  int data[5] = {1, 2, 3, 4, 5};
  int n = argc + 4;
  int total = sum_squares(data, n);
  unsigned h = hash(argc > 1 ? argv[1] : "wdbg");
  long long m = mix(total, (int)h);
  counter += total;
  printf("%d %u %lld %d\n", total, h, m, counter);
  return total == 55 ? 0 : 1;
}
