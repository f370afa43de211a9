"""One-line logs that say which request or task they belong to.

RequestIdMiddleware gives every web request an id (the X-Request-ID header a proxy sent,
or a new one), echoes it in the response, and the ContextFilter stamps it on every log
record; Celery tasks stamp their task id the same way. Production writes JSON lines.
"""

import contextvars
import logging
import re
import uuid

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
task_id: contextvars.ContextVar[str] = contextvars.ContextVar("task_id", default="-")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        record.task_id = task_id.get()
        return True


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        value = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        token = request_id.set(value)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = value
        return response


def _task_started(task_id_value=None, **kwargs):
    task_id.set(task_id_value or "-")


def _task_finished(**kwargs):
    task_id.set("-")


def connect_celery_signals() -> None:
    from celery.signals import task_postrun, task_prerun

    task_prerun.connect(lambda sender=None, task_id=None, **kw: _task_started(task_id), weak=False,
                        dispatch_uid="kinship.task_id.start")
    task_postrun.connect(lambda **kw: _task_finished(), weak=False, dispatch_uid="kinship.task_id.end")
