int c_fn(void) { return 0; }
