"""Every model, imported in one place so that Alembic and the app see the whole schema."""
from .audit.models import AuditEntry
from .auth.models import LoginFailure, LoginSession, PasswordReset, RecoveryCode, User
from .chapters.models import Alliance, Chapter, Region

__all__ = ["Alliance", "AuditEntry", "Chapter", "LoginFailure", "LoginSession", "PasswordReset",
           "RecoveryCode", "Region", "User"]
from .members.models import (  # noqa: E402
    DuesEntry,
    DuesPolicyRecord,
    Organization,
    Remittance,
    StatusChange,
)

__all__ += ["DuesEntry", "DuesPolicyRecord", "Organization", "Remittance", "StatusChange"]
from .statements.models import (  # noqa: E402
    Publication,
    SignOff,
    Statement,
    StatementComment,
    StatementRevision,
)

__all__ += ["Publication", "SignOff", "Statement", "StatementComment", "StatementRevision"]
from .documents.models import ExportJob, StoredDocument  # noqa: E402

__all__ += ["ExportJob", "StoredDocument"]
from .assembly.models import (  # noqa: E402
    Assembly,
    FeeEntry,
    FundEntry,
    Registration,
    SolidarityFund,
)

__all__ += ["Assembly", "FeeEntry", "FundEntry", "Registration", "SolidarityFund"]
from .info_sessions.models import (  # noqa: E402
    InfoSession,
    InfoSessionRegistration,
    SignupAttempt,
    SignupLink,
)
from .members.models import Orientation  # noqa: E402

__all__ += ["InfoSession", "InfoSessionRegistration", "Orientation", "SignupAttempt",
            "SignupLink"]
from .letters.models import IssuedDocument  # noqa: E402

__all__ += ["IssuedDocument"]
from .reminders.models import ReminderDigest  # noqa: E402

__all__ += ["ReminderDigest"]
