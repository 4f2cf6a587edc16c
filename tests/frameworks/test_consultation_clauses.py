"""Clause numbers of a draft under consultation survive edits of other clauses."""

import uuid
from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frameworks import clauses
from frameworks.consultation_models import Clause
from frameworks.consultation_services import post_comment

from .consultation_helpers import comment_data, edit_draft, heading, paragraph


def numbers(consultation):
    return {
        c.number: c.text
        for c in Clause.objects.current().filter(consultation=consultation)
    }


@pytest.mark.django_db
def test_every_heading_paragraph_and_list_item_is_a_numbered_clause(consultation):
    assert numbers(consultation) == {
        "1": "Purpose",
        "1.1": "Micro-certifications recognise skills.",
        "2": "Scope",
        "2.1": "Applies to colleges.",
        "2.2": "Short",
        "2.3": "Assessed",
        "3": "Assessment",
        "3.1": "Every micro-certification is assessed.",
    }


@pytest.mark.django_db
def test_inserting_and_deleting_other_clauses_keeps_numbers(
    consultation, draft_framework
):
    def change(blocks):
        # The "Purpose" section deleted, a new first section, a new list item.
        purpose, _text, scope, scope_text, *rest = blocks
        scope_text["value"] = (
            "<p>Applies to colleges.</p><ul><li>Short</li><li>Stackable</li>"
            "<li>Assessed</li></ul>"
        )
        return [
            heading("Definitions"),
            paragraph("<p>A micro-certification is a short credential.</p>"),
            scope,
            scope_text,
            *rest,
        ]

    edit_draft(draft_framework, change)
    now = numbers(consultation)
    assert now["2.1"] == "Applies to colleges."
    assert now["2.2"] == "Short"
    assert now["2.3"] == "Assessed"
    assert now["3.1"] == "Every micro-certification is assessed."
    # New clauses take new numbers; removed numbers are never reused.
    assert now["4"] == "Definitions"
    assert now["4.1"] == "A micro-certification is a short credential."
    assert now["2.4"] == "Stackable"
    assert "1" not in now and "1.1" not in now
    # Reading order follows the draft.
    order = list(
        Clause.objects.current()
        .filter(consultation=consultation)
        .values_list("number", flat=True)
    )
    assert order == ["4", "4.1", "2", "2.1", "2.2", "2.4", "2.3", "3", "3.1"]


@pytest.mark.django_db
def test_editing_a_clause_makes_a_revision_and_comments_stay_on_their_text(
    consultation, draft_framework, established_member
):
    comment = post_comment(
        author=established_member,
        consultation=consultation,
        clause_number="3.1",
        **{k: v for k, v in comment_data().items() if k != "clause"},
    )

    def change(blocks):
        blocks[-1]["value"] = "<p>Every micro-certification is assessed twice.</p>"
        return blocks

    edit_draft(draft_framework, change)
    current = Clause.objects.current().get(consultation=consultation, number="3.1")
    assert current.text == "Every micro-certification is assessed twice."
    assert current.revision == 2
    comment.refresh_from_db()
    assert comment.clause.number == "3.1"
    assert comment.clause.revision == 1
    assert comment.clause.text == "Every micro-certification is assessed."


# --- Property: any edit of other clauses leaves a clause's key and number alone.


@dataclass
class Block:
    block_type: str
    value: object
    id: str = field(default_factory=lambda: str(uuid.uuid4()))


@dataclass
class Rich:
    source: str


def _block(kind, text):
    if kind == "heading":
        return Block("heading", {"text": text, "level": "h2", "anchor": ""})
    return Block("paragraph", Rich(f"<p>{text}</p>"))


texts = st.integers(min_value=0, max_value=10**6).map(lambda n: f"text {n}")
blocks = st.lists(
    st.tuples(st.sampled_from(["heading", "paragraph"]), texts),
    min_size=1,
    max_size=12,
    unique_by=lambda pair: pair[1],
)
edits = st.lists(
    st.tuples(
        st.sampled_from(["insert", "delete", "move", "edit"]),
        st.integers(min_value=0, max_value=100),
        st.integers(min_value=0, max_value=100),
        st.sampled_from(["heading", "paragraph"]),
    ),
    max_size=8,
)


@settings(max_examples=150, deadline=None)
@given(blocks, edits)
def test_clause_numbers_survive_any_edit_of_other_clauses(initial, operations):
    body = [_block(kind, text) for kind, text in initial]
    first = clauses.extract(body)
    numbered = clauses.number(first, {})
    by_block = {item.key.split("/")[0]: item for item in first}
    touched = set()
    for n, (op, i, j, kind) in enumerate(operations):
        if op == "insert":
            body.insert(i % (len(body) + 1), _block(kind, f"new {n}"))
        elif body and op == "delete":
            touched.add(body.pop(i % len(body)).id)
        elif body and op == "move":
            body.insert(j % len(body), body.pop(i % len(body)))
        elif body and op == "edit":
            block = body[i % len(body)]
            touched.add(block.id)
            if block.block_type == "heading":
                block.value = {**block.value, "text": f"edited {n}"}
            else:
                block.value = Rich(f"<p>edited {n}</p>")
    previous = {item.key: item.text for item in first}
    second = clauses.extract(body, previous=previous)
    renumbered = clauses.number(second, numbered)
    all_numbers = list(renumbered.values())
    assert len(all_numbers) == len(set(all_numbers)), "a number was given twice"
    for item in second:
        block_id = item.key.split("/")[0]
        if block_id in by_block and block_id not in touched:
            old = by_block[block_id]
            assert item.key == old.key
            assert renumbered[item.key] == numbered[old.key]
    # A number once given is never reused for another clause.
    for key, number in renumbered.items():
        if key not in numbered:
            assert number not in numbered.values()
