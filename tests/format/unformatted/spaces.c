/* spaces.c — indented with four spaces instead of a tab. */
int spaces_twice(int x)
{
    return 2 * x;
}
