/* long.c — a call past 100 columns. */
int long_sum(int first_argument, int second_argument, int third_argument, int fourth_argument);

int long_call(void)
{
	return long_sum(1000000 + 2000000, 3000000 + 4000000, 5000000 + 6000000, 7000000 + 8000000 + 9000000);
}
