/*
 * ok.c — code cppcheck has nothing to say about, in the tree's style: it
 * must give no finding, so that the check is not failing on everything.
 */
struct ok_pair {
	int key, value;
};

int ok_lookup(const struct ok_pair *p, int n, int key)
{
	for (int i = 0; i < n; i++) {
		if (p[i].key == key)
			return p[i].value;
	}
	return -1;
}
