"""What gunicorn and `flask --app wsgi` load."""
from docsys import create_app

app = create_app()
