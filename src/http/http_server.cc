#include "http/http_server.h"
