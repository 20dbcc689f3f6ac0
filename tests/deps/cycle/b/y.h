#include "a/x.h"
#define Y 1
