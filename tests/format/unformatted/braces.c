/* braces.c — a function's opening brace on its own line is the rule. */
int braces_max(int a, int b) {
	return a > b ? a : b;
}
