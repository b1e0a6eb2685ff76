/*
 * The program cexpr's tests mirror (see README.md): gdb's output for it,
 * compiled natively with gcc -g -O0 and stopped at the return in main, is
 * the expected output of the tests' fake wasm32 program.
 */
#include <math.h>
#include <string.h>
enum color { RED, GREEN, BLUE };
enum flags { FA = 1, FB = 2, FC = 4 };
struct inner { int c; };
struct pt { int x; int y; };
struct rec {
  int a;
  struct inner b;
  int arr[4];
  unsigned int flag : 1;
  unsigned int mode : 3;
  int sbits : 4;
  char name[8];
  char *str;
  struct pt *p;
};
union u { int i; float f; unsigned char bytes[4]; };
struct anon { int k; union { int ui; float uf; }; struct { char ch; } sub; enum { ONE = 1, TWO } e; };
typedef int myint;
typedef struct pt pt_t;
typedef int (*binop)(int, int);
typedef unsigned int uint32;

int i = 42;
int neg = -5;
unsigned int ui = 4000000000u;
unsigned char uc = 200;
char c = 'A';
signed char sc = -3;
short sh = -2;
unsigned short us = 65535;
long long ll = 1099511627776LL;
unsigned long long ull = 18446744073709551615ULL;
float f = 1.5f;
double d = 0.1;
double dinf;
double dnan;
float fnan;
_Bool b = 1;
enum color col = GREEN;
enum color badcol = (enum color)7;
enum flags fl = FA | FB;
enum flags fl2 = (enum flags)(FA | 8);
enum flags fl0 = 0;
struct pt pt1 = {1, 2};
struct pt pts[3] = {{1,2},{3,4},{5,6}};
char *msg = "text";
struct rec r = {1, {2}, {10, 20, 30, 40}, 1, 5, -3, "abc", 0, &pt1};
struct rec *rp = &r;
union u un = { .i = 0x3fc00000 };
int *ip = &i;
int **ipp = &ip;
int grid[2][3] = {{1,2,3},{4,5,6}};
int zeros[16];
int big[300];
char name[8] = "abc";
char nul[8] = "a\0b";
char zbuf[16];
char esc[6] = "a\n\"\\\t";
char rep[20] = "xaaaaaaaaaaaaaaaay";
char *nullstr = 0;
int sq(int x) { return x*x; }
int add(int a, int b) { return a+b; }
int (*fp)(int) = sq;
binop bop = add;
myint mi = 7;
pt_t ptt = {3, 4};
const int ci = 9;
int (*parr)[3] = &grid[0];
void *vp = &i;
struct anon an = {1, {2}, {'z'}, TWO};
uint32 u32 = 5;
struct pt *nullpt = 0;
long lg = -100;
_Bool b2;
enum sgn { MINUS = -1, ZERO, PLUS };
enum sgn sg = (enum sgn)-2;
struct list { int v; struct list *next; };
struct list node2;
struct list node = {1, &node2};
struct list node2 = {2, &node};
typedef unsigned long size_t;
size_t sz = 12;
const char *cmsg = "text";
unsigned char *umsg = (unsigned char *)"text";
typedef char *string_t;
string_t smsg = "text";
struct empty {} e;
struct opaque *op = (struct opaque *)&i;
char cbig[300];
int rows[30][10];
char crep[300];
int irep[300];
char cfull[4] = {'a', 'b', 'c', 'd'};
int run10[21] = {7,7,7,7,7,7,7,7,7,7,8,8,8,8,8,8,8,8,8,8,8};
char ctl[8] = {1, 27, 127, (char)128, (char)255, '\'', 'x', 0};
struct flex { int n; int data[]; };
int buf[4] = {3, 10, 20, 30};
struct flex *fx = (struct flex *)buf;
long double ld = 1.5L;
struct cflex { int n; char s[]; };
char cbuf[8] = {3, 0, 0, 0, 'h', 'i', 0};
struct cflex *cf = (struct cflex *)cbuf;
__int128 big128 = -((__int128)1 << 100);
unsigned __int128 ubig128 = ((unsigned __int128)1 << 127) | 5;
struct __attribute__((packed)) wide { unsigned char a; unsigned int w : 20; int s : 11; unsigned long long big : 40; } wd = {1, 0xabcde, -1000, 0x123456789aULL};

int main(void) {
  r.str = msg;
  dinf = 1.0 / zeros[0] ;
  dnan = -NAN;
  fnan = NAN;
  for (int k = 0; k < 300; k++) big[k] = k;
  for (int k = 0; k < 300; k++) cbig[k] = 'a' + k % 26;
  for (int k = 0; k < 300; k++) ((int*)rows)[k] = k;
  *(char*)&b2 = 2;
  for (int k = 0; k < 300; k++) crep[k] = k < 50 ? 'x' : 'a' + k % 26;
  for (int k = 0; k < 300; k++) irep[k] = k < 50 ? 0 : k;
  return sq(2) + add(1, 2) + fp(1) + bop(1,2);  /* line */
}
