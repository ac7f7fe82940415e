"""A person's data on request: what is found by their e-mail address, what an erasure
removes, and what must be kept for the ledgers and the record.

Kept, and why (shown to the global secretariat before it erases):
- the ledgers (dues, fees, the solidarity fund): amounts, dates, methods, references and
  who recorded them. Money received and spent is accounted for to the members and the
  auditors; a ledger line is never edited or deleted (database triggers refuse it);
- a registration's row, without the person's name and contact details: the fee ledger,
  the grants and the voting roll's history point at it (participation, organization,
  chapter and dates stay);
- a visa letter's or certificate's record, code and SHA-256 without the name and passport
  data: an embassy checking the code is told the personal data was erased;
- the audit log: which account did what and when (an erased account's name reads
  "Former account #<id>");
- an organization's record: its contact person and contact details are cleared when they
  are this person's.
"""
from __future__ import annotations

from datetime import date

from .assembly import RegistrationState
from .common import N_, Decision

ERASED_NAME = "Erased person"

KEPT = (
    N_("The ledgers (dues, fees, the solidarity fund): amounts, dates, methods, references "
       "and who recorded them. Money is accounted for to the members and the auditors, and "
       "a ledger line is never edited or deleted."),
    N_("Each registration's row without the name and contact details: the fee ledger, the "
       "fund's grants and the voting roll's history point at it (participation, "
       "organization, chapter and dates stay)."),
    N_("Each visa letter's or certificate's record, code and SHA-256 without the name and "
       "passport data: an embassy checking the code is told the personal data was erased."),
    N_("The audit log: which account did what and when (an erased account's name reads "
       "\"Former account\" with its number)."),
    N_("Organizations: only their contact person and contact details are cleared, when they "
       "are this person's."),
)


def may_erase_registration(state: RegistrationState, assembly_last_day: date,
                           today: date) -> Decision:
    """A registration's personal data is erased once it no longer serves the assembly:
    withdrawn, or the assembly is over. Before, the chapter withdraws it first."""
    if state is RegistrationState.WITHDRAWN or today > assembly_last_day:
        return Decision.allow()
    return Decision.refuse(N_("%(name)s is registered for an assembly still to come: the "
                              "chapter withdraws the registration first."))


def account_alias(user_id: int) -> tuple[str, str]:
    """The name and e-mail an erased account keeps (unique, never deliverable)."""
    return f"Former account #{user_id}", f"erased-{user_id}@invalid.example"
