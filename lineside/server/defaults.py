"""Server defaults the command line needs without importing the database layer (fast start)."""

DEFAULT_DATABASE_URL = "sqlite:///var/server/lineside.db"
DATABASE_URL_ENV = "LINESIDE_DATABASE_URL"
DOCS_ENV = "LINESIDE_SERVER_DOCS"
