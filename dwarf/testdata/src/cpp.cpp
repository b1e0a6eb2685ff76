// cpp: C++ types (classes, references, namespaces, methods) without the C++
// runtime. Built by dwarf/testdata/build.sh.
namespace geo {
class Shape {
public:
  int sides;
  double scale;
  int perimeter(int side) const { return sides * side; }
};
struct Pair {
  int &first;
  const Shape &second;
};
} // namespace geo

int twice(int &r) {
  r *= 2;
  return r;
}

geo::Shape square_shape = {4, 1.0};
int value = 21;

extern "C" int printf(const char *, ...);

int main() {
  int local = value;
  geo::Pair p{local, square_shape};
  int t = twice(p.first);
  int per = p.second.perimeter(t);
  printf("%d %d\n", t, per);
  return per == 168 ? 0 : 1;
}
