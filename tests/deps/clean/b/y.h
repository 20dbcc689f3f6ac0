int b_fn(void);
