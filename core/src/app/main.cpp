// SPDX-License-Identifier: Apache-2.0
// The mobisync executable: only the application's entry point.
#include "app/sync_app.hpp"

POCO_SERVER_MAIN(mobisync::SyncApp)
