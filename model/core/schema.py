"""The one declaration of every scenario key: pydantic v2 models, strict, finite numbers only.

Each field is declared once with `setting(...)`: type (the annotation), default, allowed range
(ge/gt/le/lt) or choices (a Literal), unit, a Chinese and an English label, one line of help
and, for a legal number, the clause it encodes. From these declarations come the readers of
every scenario section, the check of `--set`, sweep's list of sweepable keys, the app's form
labels and the key tables of docs/settings.md (tests/test_settings_docs.py keeps them equal).

Why strict: a budget officer's `--set selection.spend_budget=no` must be an error, not the
truthy string "no"; `"2000"`, `2,500`, `nan`, `inf`, a float where a count is meant, and a bare
string where a list is meant are all refused with the dotted key, the value and what is expected.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any, Literal, Mapping, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from fundalloc.core.errors import ScenarioError
from fundalloc.core.i18n import pick, tr


class Section(BaseModel):
    """Base of every declared table: unknown keys, wrong types and inf/nan are errors."""

    model_config = ConfigDict(
        strict=True, extra="forbid", allow_inf_nan=False, validate_assignment=False, frozen=False
    )


def setting(
    default: Any = PydanticUndefined,
    *,
    zh: str,
    en: str,
    help: str,
    unit: str | None = None,
    clause: str | None = None,
    expect: str | tuple[str, str] | None = None,
    default_factory: Any = None,
    sweep: bool | None = None,
    options: dict[str, tuple[str, str]] | None = None,
    **constraints: Any,
) -> Any:
    """A declared key. `expect` says in words what a value must be when the type alone does not
    (e.g. ("每个区域组一个 ≥ 0 的整数…", "a whole number ≥ 0 for every group…"): Chinese and
    English, as the labels); `sweep` marks a key that
    `fundalloc sweep` may vary (default: numeric keys); `options` gives each choice of a reading
    its Chinese and English meaning, e.g. {"top_up": ("补差额", "pay the difference")}."""
    extra = {
        "zh": zh,
        "en": en,
        "unit": unit,
        "clause": clause,
        "expect": expect,
        "sweep": sweep,
        "options": options,
    }
    kwargs: dict[str, Any] = dict(
        description=help, json_schema_extra={k: v for k, v in extra.items() if v is not None}
    )
    if default_factory is not None:
        kwargs["default_factory"] = default_factory
    elif default is not PydanticUndefined:
        kwargs["default"] = default
    return Field(**kwargs, **constraints)


def meta(info: FieldInfo) -> dict[str, Any]:
    extra = info.json_schema_extra
    return dict(extra) if isinstance(extra, dict) else {}


# ----------------------------------------------------------------------------- walking a model


def unwrap(annotation: Any) -> Any:
    """Optional[X] -> X; Annotated[X, ...] -> X."""
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        return unwrap(get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return unwrap(args[0])
    return annotation


def submodel(annotation: Any) -> type[BaseModel] | None:
    a = unwrap(annotation)
    return a if isinstance(a, type) and issubclass(a, BaseModel) else None


def dict_value_model(annotation: Any) -> type[BaseModel] | None:
    """dict[str, Model] -> Model (tables of named entries, e.g. recognition programmes)."""
    a = unwrap(annotation)
    if get_origin(a) is dict:
        return submodel(get_args(a)[1])
    return None


def choices(annotation: Any) -> tuple[Any, ...] | None:
    a = unwrap(annotation)
    if get_origin(a) is Literal:
        return get_args(a)
    if get_origin(a) in (list, tuple):
        args = [x for x in get_args(a) if x is not Ellipsis]
        if args and get_origin(unwrap(args[0])) is Literal:
            return get_args(unwrap(args[0]))
    return None


def walk(model: type[BaseModel], prefix: str = ""):
    """(dotted key, FieldInfo, owning model) for every declared leaf key, depth first. A table
    of named entries (dict[str, Model]) is listed once as `key.<name>.field`."""
    for name, info in model.model_fields.items():
        key = f"{prefix}.{name}" if prefix else name
        sub = submodel(info.annotation)
        entry = dict_value_model(info.annotation)
        if sub is not None:
            yield from walk(sub, key)
        elif entry is not None:
            yield from walk(entry, f"{key}.<name>")
        else:
            yield key, info, model


def dotted_label(model: type[BaseModel], dotted: str) -> str:
    """The declared labels along a dotted key, e.g. simulation.growth.logistics.mu ->
    "物流增长 · 对数增长均值", the last two labels (the key itself where a part is not
    declared)."""
    from fundalloc.core.i18n import label

    words: list[str] = []
    owner: type[BaseModel] | None = model
    for part in dotted.split("."):
        info = owner.model_fields.get(part) if owner is not None else None
        if info is None:
            return dotted
        words.append(label(info) or part)
        owner = submodel(info.annotation) or dict_value_model(info.annotation)
    return " · ".join(words[-2:])  # the last two say which: "物流增长 · 漂移"


def _model_at(model: type[BaseModel] | None, loc: tuple) -> type[BaseModel] | None:
    """The model that owns the last part of `loc` (for "known keys" of an unknown key)."""
    for part in loc[:-1]:
        if model is None:
            return None
        info = model.model_fields.get(str(part))
        if info is None:  # a dict key of a table of named entries
            continue
        model = submodel(info.annotation) or dict_value_model(info.annotation)
    return model


def _field_at(model: type[BaseModel] | None, loc: tuple) -> FieldInfo | None:
    owner = _model_at(model, loc)
    if owner is None or not loc:
        return None
    return owner.model_fields.get(str(loc[-1]))


# pydantic tags union members and validators in `loc` ("int", "dict[str,int]",
# "function-after[...]"); they are not keys a user wrote.
_TAG = re.compile(
    r"^(int|float|str|bool|none|list|dict|tuple|literal|function|"
    r"constrained|is-instance|lax|strict|json|chain|nullable|default)\b|[\[\](]"
)


def _user_loc(loc: tuple, model: type[BaseModel] | None) -> tuple:
    """The keys of `loc` a user wrote: walk the declaration so that a key that happens to be
    named like a tag (e.g. a policy file's `strict`) is kept and only pydantic's tags go."""
    out: list = []
    current: Any = model
    expect_key = False  # the next part is an entry name of a table of named entries
    for part in loc:
        if isinstance(part, int):
            out.append(part)
            continue
        if expect_key:
            out.append(part)
            expect_key = False
            continue
        fields = (
            current.model_fields
            if isinstance(current, type) and issubclass(current, BaseModel)
            else {}
        )
        if part in fields:
            out.append(part)
            info = fields[part]
            current = submodel(info.annotation) or dict_value_model(info.annotation)
            expect_key = dict_value_model(info.annotation) is not None
        elif not _TAG.search(str(part)):
            out.append(part)  # an unknown key (extra_forbidden) or a table's own key
    return tuple(out)


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value != value:
        return "nan"
    if isinstance(value, dict):
        return tr("schema.a_table")
    return repr(value)


def type_words() -> dict[str, str]:
    """What a value of each pydantic error type should have been, in the language."""
    return {
        "float_type": tr("schema.float_type"),
        "int_type": tr("schema.whole_number"),
        "int_from_float": tr("schema.whole_number"),
        "bool_type": tr("schema.bool_type"),
        "string_type": tr("schema.string_type"),
        "list_type": tr("schema.list_type"),
        "tuple_type": tr("schema.tuple_type"),
        "dict_type": tr("schema.dict_type"),
        "model_type": tr("schema.a_table"),
        "model_attributes_type": tr("schema.a_table"),
        "finite_number": tr("schema.finite_number"),
    }


def _type_word(annotation: Any) -> str:
    a = unwrap(annotation)
    origin = get_origin(a)
    if a is bool:
        return tr("schema.true_or_false")
    if a is int:
        return tr("schema.whole_number")
    if a is float:
        return tr("schema.a_number")
    if a is str:
        return tr("schema.text")
    if origin in (list, tuple):
        return tr("schema.a_list")
    if origin is dict:
        return tr("schema.a_table")
    return ""


def expectation(info: FieldInfo | None) -> str:
    """What a value of this field must be, in words (from its declaration)."""
    if info is None:
        return ""
    m = meta(info)
    if "expect" in m:
        e = m["expect"]
        return pick(*e) if isinstance(e, (tuple, list)) else e
    ch = choices(info.annotation)
    if ch:
        return tr("schema.one_of", choices=", ".join(_show(c) for c in ch))
    words = [_type_word(info.annotation)]
    for c in info.metadata:
        for attr, sign in (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<")):
            v = getattr(c, attr, None)
            if v is not None:
                words.append(f"{sign} {v:g}")
    text = " ".join(w for w in words if w)
    return text + (f" ({m['unit']})" if m.get("unit") else "")


Error = Mapping[str, Any]  # one pydantic error (ErrorDetails)


def describe_error(
    err: Error, model: type[BaseModel] | None, prefix: str, data: Any = None
) -> tuple[str, str]:
    """(dotted key, message) for one pydantic error, in a budget officer's words."""
    loc = _user_loc(tuple(err["loc"]), model)
    kind, value = err["type"], err.get("input")
    item = ""
    while loc and isinstance(loc[-1], int):  # an entry of a list: name the list and the entry
        item = tr("schema.entry", n=loc[-1] + 1) + item
        loc = loc[:-1]
    key, msg = _describe(kind, value, err, model, loc, prefix)
    return key, item + msg


def _describe(
    kind: str, value: Any, err: Error, model: type[BaseModel] | None, loc: tuple, prefix: str
) -> tuple[str, str]:
    key = ".".join([prefix, *map(str, loc)] if prefix else map(str, loc)) or prefix
    if kind == "extra_forbidden":
        owner = _model_at(model, loc)
        known = sorted(owner.model_fields) if owner is not None else []
        close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.5)
        base = key.rsplit(".", 1)[0] if "." in key else ""
        hint = (
            tr("schema.did_you_mean", dotted=f"{base + '.' if base else ''}{close[0]}")
            if close
            else ""
        )
        return key, tr("schema.unknown_key", hint=hint, known=", ".join(known))
    info = _field_at(model, loc)
    expected = expectation(info)
    if kind == "missing":
        return key, tr("schema.required") + (f" ({expected})" if expected else "")
    if kind == "literal_error":
        ch = choices(info.annotation) if info is not None else None
        allowed = ", ".join(_show(c) for c in ch) if ch else err["msg"]
        default = (
            ""
            if info is None or info.default in (PydanticUndefined, None)
            else tr("schema.default", value=_show(info.default))
        )
        return key, tr("schema.not_one_of", value=_show(value), allowed=allowed, default=default)
    if kind in ("value_error", "assertion_error"):
        error = err.get("ctx", {}).get("error", err["msg"])
        sub = getattr(error, "key", None)  # a cross-key check names the key to fix
        return (f"{key}.{sub}" if sub else key), str(error)
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = next(iter(err.get("ctx", {}).values()), "")
        v = _show(value)
        text = {
            "greater_than_equal": tr("schema.below_min", value=v, bound=bound),
            "greater_than": tr("schema.not_above", value=v, bound=bound),
            "less_than_equal": tr("schema.above_max", value=v, bound=bound),
            "less_than": tr("schema.not_below", value=v, bound=bound),
        }[kind]
        return key, text + (tr("schema.expected", expected=expected) if expected else "")
    what = type_words().get(kind, str(err["msg"]))
    said = expected and not what.startswith(expected)  # do not say "true or false" twice
    return key, tr("schema.is_not", value=_show(value), what=what) + (
        tr("schema.expected", expected=expected) if said else ""
    )


def read(
    model: type[BaseModel], data: Any, *, prefix: str, source: Any, context: dict | None = None
) -> Any:
    """Validate one table against its declaration; a bad value raises ScenarioError naming the
    dotted key, the value and what is expected (the first problem; all of them are listed)."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ScenarioError(source, prefix, tr("schema.not_a_table", value=_show(data)))
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        errors: list[tuple[str, str]] = []
        for e in exc.errors():  # one line per key: a union reports each member it tried
            k, m = describe_error(e, model, prefix, data)
            if all(k != seen for seen, _ in errors):
                errors.append((k, m))
        key, msg = errors[0]
        more = "".join("\n  " + tr("schema.also", dotted=k, message=m) for k, m in errors[1:4])
        raise ScenarioError(source, key, msg + more) from None
