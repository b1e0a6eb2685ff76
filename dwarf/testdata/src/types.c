/* types: one of everything the type decoder must name and lay out.
 * Built by dwarf/testdata/build.sh; see dwarf/testdata/README. */
#include <stdio.h>
#include <string.h>

typedef unsigned int u32;
typedef struct point { int x, y; } point_t;

enum color { RED, GREEN = 5, BLUE = -1 };
enum big : unsigned long long { HUGE_VAL_ = 0x100000000ULL };

struct flags {
  unsigned int ready : 1;
  unsigned int mode : 3;
  int level : 4;
  unsigned char tag;
  unsigned int wide : 20;
};

union number {
  int i;
  float f;
  unsigned char bytes[4];
};

struct rect {
  point_t min, max;
  struct { char label[12]; enum color color; } meta;
};

struct node {
  int value;
  struct node *next;
};

struct packet {
  unsigned short len;
  unsigned char data[];
};

typedef int (*binop)(int, int);

struct opaque; /* defined in types_b.c only */
struct opaque *get_opaque(void);

struct ops {
  binop op;
  const char *name;
  void (*log)(const char *, ...);
};

int grid[3][4];
static double weights[2][2][2] = {{{1.5, 2.5}, {3.5, 4.5}}, {{5.5, 6.5}, {7.5, 8.5}}};
const volatile int cv_counter = 7;
char greeting[] = "hello";
char **argv_copy;
struct node nodes[4];
static int call_count;
float ratio = 0.5f;
long long big_total = 1LL << 40;
_Bool done;
u32 mask = 0xff00ff00u;
struct flags flag_word = {1, 5, -3, 'T', 0x12345};
union number num = {.i = 0x40490fdb};
struct rect box = {{1, 2}, {30, 40}, {"box", BLUE}};
enum big big_enum = HUGE_VAL_;
int *restrict rptr;

static int add(int a, int b) { return a + b; }
static int sub(int a, int b) { return a - b; }
struct ops table[2] = {{add, "add", 0}, {sub, "sub", 0}};

int fact(int n) {
  call_count++;
  if (n <= 1)
    return 1;
  return n * fact(n - 1);
}

double mean(const double *xs, int n) {
  double sum = 0;
  for (int i = 0; i < n; i++) {
    double x = xs[i];
    sum += x;
  }
  return n ? sum / n : 0;
}

int list_sum(struct node *head) {
  int total = 0;
  for (struct node *p = head; p; p = p->next)
    total += p->value;
  return total;
}

int apply(binop f, int a, int b) { return f(a, b); }

int main(int argc, char **argv) {
  argv_copy = argv;
  for (int i = 0; i < 4; i++) {
    nodes[i].value = i * 10;
    nodes[i].next = i < 3 ? &nodes[i + 1] : 0;
  }
  for (int r = 0; r < 3; r++)
    for (int c = 0; c < 4; c++)
      grid[r][c] = r * c;
  struct packet *pk = 0;
  struct opaque *op = get_opaque();
  point_t origin = {0, 0};
  volatile float scale = ratio * 2;
  const char *s = greeting;
  int f = fact(5);
  double m = mean(&weights[0][0][0], 8);
  int sum = list_sum(nodes);
  int x = apply(table[argc & 1].op, f, sum);
  {
    int x = 42; /* shadows the outer x */
    flag_word.level = x & 7;
  }
  printf("%s %d %g %d %d %d %f %p %d\n", s, f, m, sum, x, origin.x, scale, (void *)pk, flag_word.mode);
  printf("%p\n", (void *)op);
  done = 1;
  return (int)strlen(s) + box.meta.color + (int)num.bytes[0] + cv_counter + (int)mask + grid[2][3];
}
