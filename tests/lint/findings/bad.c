/*
 * bad.c — mistakes the check must catch: bugs (reading past an array, a
 * value read before it is set) and style findings (a variable whose scope
 * can be smaller, an initial value overwritten before it is read).
 */
int bad_past_the_end(void)
{
	const int a[4] = { 1, 2, 3, 4 };

	return a[4];
}

int bad_uninitialised(int x)
{
	int y;

	if (x > 0)
		y = x;
	return y;
}

int bad_scope(int n)
{
	int i;

	if (n > 0) {
		for (i = 0; i < n; i++)
			n--;
	}
	return n;
}

int bad_redundant(int x)
{
	int y = x;

	y = 2 * x;
	return y;
}
