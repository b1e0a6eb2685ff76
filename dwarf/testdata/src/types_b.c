/* types_b: a second compile unit for the types program: defines a struct
 * that types.c only declares, and a static with a name types.c uses too. */
struct opaque {
  int secret;
  const char *label;
};

static int call_count = 100;
struct opaque the_opaque = {7, "opaque"};

struct opaque *get_opaque(void) {
  call_count++;
  return &the_opaque;
}
