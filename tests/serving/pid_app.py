"""A WSGI app that answers with the id of the process that served it.

Django is set up as cms.wsgi would (gunicorn.conf.py warms it up before forking).
"""

import os

import django

django.setup()


def app(environ, start_response):
    body = str(os.getpid()).encode()
    start_response(
        "200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))]
    )
    return [body]
