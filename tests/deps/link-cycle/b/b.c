int a_fn(void);
int b_fn(void) { return 1; }
int b_back(void) { return a_fn(); }
