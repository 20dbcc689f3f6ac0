/* ok.c — formatted: beside the others, it must not be reported. */
int *ok_first(int *p, unsigned n)
{
	return n ? &p[0] : NULL;
}
