"""`python -m nlp …` is `xxgk …`."""

from nlp.cli import app

app(prog_name="xxgk")
