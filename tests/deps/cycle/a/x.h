#include "b/y.h"
#define X 1
