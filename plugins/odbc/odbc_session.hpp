// SPDX-License-Identifier: Apache-2.0
// What the source's reads and its probe ask of a Poco::Data ODBC session.
#pragma once

#include <Poco/Data/Session.h>
#include <sql.h>

namespace mobisync::plugins::odbc {

/// The connection's ODBC handle, for the statements the source runs itself; SQL_NULL_HDBC when
/// the session is not an ODBC one.
SQLHDBC handleOf(Poco::Data::Session& session);

/// True when the connection is to PostgreSQL (SQLGetInfo SQL_DBMS_NAME).
bool isPostgres(SQLHDBC dbc);

}  // namespace mobisync::plugins::odbc
