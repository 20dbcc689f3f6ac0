#include "b/y.h"
int a_fn(void) { return Y; }
