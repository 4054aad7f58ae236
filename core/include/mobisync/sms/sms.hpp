// SPDX-License-Identifier: Apache-2.0
// Everything of the SMS encoding SDK in one include.
#pragma once

#include "mobisync/sms/encoding.hpp"
#include "mobisync/sms/gsm7_alphabet.hpp"
#include "mobisync/sms/gsm7_padding.hpp"
#include "mobisync/sms/originator.hpp"
#include "mobisync/sms/utf8.hpp"
