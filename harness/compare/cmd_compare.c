/* cmd_compare.c - `posenc compare BASE NEW`: the command-line face of compare_main
 * (compare/compare.h), which the tests call directly. */
#include "commands.h"
#include "compare.h"
#include "harness_util.h"

int cmd_compare(int argc, char **argv)
{
    harness_set_name("posenc compare");
    return compare_main(argc, argv);
}
