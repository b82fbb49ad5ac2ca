"""Every reproduction in ``../shared/repros`` has the tests that show it fixed.

The reproductions are minimal inputs of defects found by attacking the tool. This table
names, for each, the tests built from it; a new reproduction without tests, or a test
renamed away from the table, fails here. (Skipped when ``../shared`` is absent.)
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import REPO_ROOT

HOSTILE = "test_hostile_inputs.py"
FIX = "test_fix_repros.py"

#: reproduction folder (under repros/fuzz or repros/apply) -> "file::test" that cover it
COVERED: dict[str, tuple[str, ...]] = {
    # --fix safety
    "fix-replaces-symlink": (
        f"{FIX}::test_fixing_through_a_symlink_keeps_the_link_and_the_hard_link",
        f"{FIX}::test_fixing_the_hard_linked_file_reaches_its_twin",
        "test_fix_writing.py::test_a_chain_of_links_into_another_directory",
        "test_fix_writing.py::test_mode_owner_and_attributes_are_kept",
    ),
    "fix-creates-duplicate-key": (
        f"{FIX}::test_two_misspellings_of_one_key_are_not_both_renamed",
        "test_fix_choice.py::test_two_renames_to_one_key_are_both_left_out",
        "test_fix_choice.py::test_any_new_finding_leaves_its_fix_out_and_keeps_the_others",
    ),
    "fix-quote-swallows-anchor-tag": (f"{FIX}::test_quoting_keeps_the_anchor_and_drops_the_tag",),
    "fix-unicode-line-separator": (
        f"{FIX}::test_unicode_line_separator_fix_edits_the_right_token",
        f"{FIX}::test_unicode_line_separator_positions",
        "test_line_breaks.py::test_fix_edits_the_token_the_parser_read",
        "test_lsp.py::test_positions_around_line_separators_and_emoji",
    ),
    "fix-write-error-traceback": (
        f"{FIX}::test_a_directory_the_user_cannot_write_is_a_message",
        f"{FIX}::test_a_full_disk_is_a_message",
        "test_fix_writing.py::test_a_read_only_directory_is_a_message_and_exit_2",
        "test_fix_writing.py::test_a_full_disk_through_the_command_line",
    ),
    # no traceback, ever
    "gitignore-bad-pattern-crash": (
        f"{HOSTILE}::test_gitignore_bad_pattern_repro",
        f"{HOSTILE}::test_gitignore_bad_patterns",
    ),
    "symlink-loop-crash": (
        f"{HOSTILE}::test_symlink_loop_repro",
        f"{HOSTILE}::test_symlink_loops",
    ),
    "path-stat-error-crash": (
        f"{HOSTILE}::test_name_too_long_is_a_usage_error",
        f"{HOSTILE}::test_unreadable_path_is_a_usage_error",
    ),
    "config-not-utf8-crash": (
        f"{HOSTILE}::test_config_not_utf8_repro",
        f"{HOSTILE}::test_config_not_utf8",
    ),
    "huge-int-internal-error": (
        f"{HOSTILE}::test_huge_int_repro",
        f"{HOSTILE}::test_huge_int",
    ),
    "rule-crashes-on-wrong-types": (
        f"{HOSTILE}::test_wrong_types_repro",
        f"{HOSTILE}::test_wrong_types",
        "test_type_confusion.py::",
    ),
    "binary-nonutf8-output": (
        f"{HOSTILE}::test_binary_output_repro",
        f"{HOSTILE}::test_binary_and_control_characters_in_every_format",
    ),
    "apply-nan-value-crash": (f"{HOSTILE}::test_apply_nan_repro",),
    "apply-list-nonobject-item-crash": (f"{HOSTILE}::test_apply_live_list_of_non_objects_repro",),
    "minor-observations": (
        f"{HOSTILE}::test_rule_option_of_the_wrong_type_is_a_usage_error",  # 1
        f"{HOSTILE}::test_unreadable_folder_of_a_walk_is_a_finding",  # 2
        f"{HOSTILE}::test_dev_stdin_is_read_as_standard_input",  # 3
        f"{HOSTILE}::test_a_device_is_no_regular_file",  # 3
        f"{HOSTILE}::test_a_pipe_is_checked_like_standard_input",  # 3
        f"{HOSTILE}::test_a_fifo_is_read_once_and_a_walk_skips_fifos",  # 3
        "test_output_text.py::test_workflow_commands_escape_control_characters",  # 4
        "test_fix_writing.py::test_a_write_protected_file_is_refused_and_the_run_goes_on",  # 5
        "test_fix_choice.py::test_an_old_syntax_error_elsewhere_does_not_stop_the_fixes",  # 6
        f"{HOSTILE}::test_an_unexpected_exception_is_one_line_and_exit_3",  # 7
        f"{HOSTILE}::test_a_bug_that_costs_one_file_exits_3_after_the_others",  # 7
        "test_lsp_stdio.py::test_malformed_messages_get_their_error",  # 8
    ),
    # cost that grows with the work
    "big-file-time-memory": (
        "test_file_parts.py::test_the_parts_of_a_file_give_the_findings_of_the_whole_file",
        "test_file_parts.py::test_a_file_over_the_size_limit_gets_a_finding_instead_of_a_check",
        "test_file_parts.py::test_a_file_over_the_document_limit_gets_a_finding",
    ),
    "quadratic-shared-labels": (
        "test_scaling.py::test_services_sharing_labels_cost_linear_work",
        "test_scaling.py::test_did_you_mean_across_sibling_copies_costs_linear_work",
    ),
    # the language server
    "lsp-completion-past-end": (
        "test_lsp.py::test_completion_past_the_end",
        "test_lsp_analysis.py::test_every_position_gets_an_answer_or_none",
    ),
    "lsp-hover-unopened-document": ("test_lsp.py::test_requests_about_documents_never_opened",),
    "lsp-hover-blocks-on-big-document": (
        "test_lsp.py::test_hover_on_a_big_document_while_it_is_checked",
    ),
    "lsp-framing-desync": (
        "test_lsp_stdio.py::test_header_spellings_keep_the_session",
        "test_lsp_stdio.py::test_a_wrong_content_length",
        "test_lsp_reader.py::",
    ),
}

#: every reproduction of kubelint apply against kubectl runs in this test, in place, and as
#: a conformance scenario of its own through the real kubectl
APPLY = "test_apply_repros.py::test_apply_repros_match_kubectl"


def _tests_in(name: str) -> set[str]:
    tree = ast.parse((REPO_ROOT / "tests" / name).read_text(encoding="utf-8"))
    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("test_")
    }


def _exists(reference: str) -> bool:
    name, _, test = reference.partition("::")
    if not (REPO_ROOT / "tests" / name).is_file():
        return False
    return not test or test in _tests_in(name)


def test_every_reproduction_has_its_tests(shared_dir: Path) -> None:
    fuzz = sorted(p.name for p in (shared_dir / "repros" / "fuzz").iterdir() if p.is_dir())
    apply = sorted(p.name for p in (shared_dir / "repros" / "apply").iterdir() if p.is_dir())
    assert fuzz
    assert apply
    missing = [name for name in fuzz if name not in COVERED]
    assert not missing, f"reproductions without tests: {missing}"
    assert _exists(APPLY)
    unknown = [name for name in COVERED if name not in fuzz]
    assert not unknown, f"table entries with no reproduction: {unknown}"


@pytest.mark.parametrize("reference", sorted({r for refs in COVERED.values() for r in refs}))
def test_the_named_tests_exist(reference: str) -> None:
    assert _exists(reference), f"{reference} is named in the table but not found"
