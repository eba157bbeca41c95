/**
 * @file l2c.h
 * @brief libl2c: an embeddable lead-to-cash engine. Include this header alone.
 *
 * See README.md and docs/ for the protocol, processes, errors and threading.
 */
#ifndef L2C_H
#define L2C_H

#include "l2c/common.h"
#include "l2c/data.h"
#include "l2c/engine.h"
#include "l2c/events.h"
#include "l2c/exec.h"
#include "l2c/process.h"
#include "l2c/records.h"

#endif
