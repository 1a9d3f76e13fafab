/* ih-csv.c — placeholder, being written */
#include "config.h"
#include "ih-csv.h"
