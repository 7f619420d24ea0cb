"""Minimal apps for the HTTP-stack benchmark, one per framework, each with three endpoints.

- ``GET /hello``: bare JSON hello world from an async handler.
- ``GET /hello-sync``: the same from a sync handler run in the framework's thread pool.
- ``POST /items``: a JSON body decoded into a typed struct/model, a small JSON reply.

Apps are built lazily (module ``__getattr__``), so serving one framework never imports the others:
``uvicorn stack_hello:starlette_app`` or ``granian --interface asgi stack_hello:litestar_app``
with ``bench/`` on ``PYTHONPATH``.
"""

# no ``from __future__ import annotations``: the frameworks resolve the local model classes
# from the handlers' annotations at runtime.
from typing import Any

HELLO = {"message": "Hello, world!"}
ITEM_BODY = b'{"name":"SUMMER-2024","amount":1000,"tags":["gift","spring","vip"]}'


def build_starlette() -> Any:
    """Starlette with msgspec decoding and orjson encoding, as openvoucher's edge does."""
    import msgspec
    import orjson
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    class Item(msgspec.Struct):
        name: str
        amount: int
        tags: list[str]

    hello_bytes = orjson.dumps(HELLO)

    async def hello(_request: Request) -> Response:
        return Response(orjson.dumps(HELLO), media_type="application/json")

    def sync_body() -> bytes:
        return hello_bytes

    async def hello_sync(_request: Request) -> Response:
        # openvoucher's edge: an async endpoint that runs the sync handler in the thread pool
        return Response(await run_in_threadpool(sync_body), media_type="application/json")

    async def items(request: Request) -> Response:
        item = msgspec.json.decode(await request.body(), type=Item, strict=True)
        reply = {"name": item.name, "amount": item.amount, "count": len(item.tags)}
        return Response(orjson.dumps(reply), media_type="application/json")

    return Starlette(
        routes=[
            Route("/hello", hello, methods=["GET"]),
            Route("/hello-sync", hello_sync, methods=["GET"]),
            Route("/items", items, methods=["POST"]),
        ]
    )


def build_fastapi() -> Any:
    """FastAPI as documented: pydantic models, default response handling."""
    from fastapi import FastAPI
    from pydantic import BaseModel

    class Item(BaseModel):
        name: str
        amount: int
        tags: list[str]

    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    @app.get("/hello")
    async def hello() -> dict[str, str]:
        return HELLO

    @app.get("/hello-sync")
    def hello_sync() -> dict[str, str]:
        return HELLO

    @app.post("/items")
    async def items(item: Item) -> dict[str, Any]:
        return {"name": item.name, "amount": item.amount, "count": len(item.tags)}

    return app


def build_litestar() -> Any:
    """Litestar with msgspec structs (its native model layer)."""
    import msgspec
    from litestar import Litestar, get, post

    class Item(msgspec.Struct):
        name: str
        amount: int
        tags: list[str]

    @get("/hello")
    async def hello() -> dict[str, str]:
        return HELLO

    @get("/hello-sync", sync_to_thread=True)
    def hello_sync() -> dict[str, str]:
        return HELLO

    @post("/items", status_code=200)
    async def items(data: Item) -> dict[str, Any]:
        return {"name": data.name, "amount": data.amount, "count": len(data.tags)}

    return Litestar(route_handlers=[hello, hello_sync, items], openapi_config=None)


def build_openvoucher() -> Any:
    """The real openvoucher app, configured from ``OPENVOUCHER_*`` env (to serve it on Granian)."""
    from openvoucher.api.app import create_app
    from openvoucher.bootstrap import build
    from openvoucher.config import load_settings

    return create_app(build(load_settings()))


_BUILDERS = {
    "openvoucher_app": build_openvoucher,
    "starlette_app": build_starlette,
    "fastapi_app": build_fastapi,
    "litestar_app": build_litestar,
}
_built: dict[str, Any] = {}


def __getattr__(name: str) -> Any:
    if name not in _BUILDERS:
        raise AttributeError(name)
    if name not in _built:
        _built[name] = _BUILDERS[name]()
    return _built[name]
