/* ih-pii.c — placeholder, being written */
#include "config.h"
#include "ih-pii.h"
