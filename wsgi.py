"""What gunicorn and `flask --app wsgi` load."""
from demo.cli import register as register_demo
from docsys import create_app

app = create_app()
register_demo(app)  # `flask --app wsgi docsys demo`: the demo lives outside the package
