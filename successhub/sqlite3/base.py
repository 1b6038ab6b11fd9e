"""Django's SQLite backend, told SQLite's real limit of bound variables per statement.

Django 5.2 assumes the old compile-time default of 999 variables, so bulk
inserts of a few hundred rows are split into several statements. SQLite 3.32
and later allow 32,766 (Django 6 reads the real limit, as done here), which
keeps bulk operations like creating a plan from a template at a fixed number
of queries whatever the template's size.
"""

import sqlite3

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        limit = connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        self.features.max_query_params = limit
        return connection
