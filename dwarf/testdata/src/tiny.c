/* tiny: a module without libc, whose small debug sections seed the fuzz
 * targets. Built by build.sh with -nostdlib. */
struct pair { int a; short b : 5; struct pair *next; };
typedef unsigned long word;

static inline __attribute__((always_inline)) int twice(int v) { return v * 2; }

int total;

__attribute__((export_name("run"))) int run(struct pair *p, int n) {
  int acc = 0;
  for (int i = 0; i < n; i++) {
    word w = (word)p[i].a;
    acc += twice((int)w) + p[i].b;
  }
  total += acc;
  return acc;
}
