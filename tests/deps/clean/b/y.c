#include "b/y.h"
int b_fn(void) { return 1; }
