// A small preview1 C program made into a WASI 0.2 command component by
// `jco new --wasi-command` in the compbin tests.
#include <stdio.h>
#include <string.h>

struct point {
	int x, y;
};

static int manhattan(struct point a, struct point b) {
	int dx = a.x - b.x, dy = a.y - b.y;
	return (dx < 0 ? -dx : dx) + (dy < 0 ? -dy : dy);
}

int main(int argc, char **argv) {
	struct point p = {1, 2}, q = {4, -2};
	printf("hello from a component: argc=%d dist=%d len=%zu\n", argc, manhattan(p, q), strlen(argv[0]));
	return 0;
}
