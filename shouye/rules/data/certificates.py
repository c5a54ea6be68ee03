"""Certificate validity and review periods (REGULATIONS-2 §F.3, §F.4).

Sources: 《特种作业人员安全技术培训考核管理规定》（原国家安监总局令第30号）Art. 19, 21, 22 [C2];
《安全生产培训管理办法》（原国家安监总局令第44号）Art. 25 and 安监总培训〔2013〕104号 [C2].
"""

from __future__ import annotations

SPECIAL_OPERATION = "special_operation"
SAFETY_QUALIFICATION = "safety_qualification"

#: The kinds of certificate, as spelt in code, with their Chinese names.
CERTIFICATE_KINDS = {
    SPECIAL_OPERATION: "特种作业操作证",
    SAFETY_QUALIFICATION: "安全生产知识和管理能力考核合格证（安全资格证）",
}

#: 30号令 Art. 19: a special-operation certificate is valid 6 years.
SPECIAL_OPERATION_VALID_YEARS = 6
#: 30号令 Art. 21: reviewed every 3 years …
SPECIAL_OPERATION_REVIEW_YEARS = 3
#: … every 6 years for a holder with 10 or more continuous years in the trade who obeys the law.
SPECIAL_OPERATION_LONG_REVIEW_YEARS = 6
SPECIAL_OPERATION_LONG_REVIEW_MIN_CONTINUOUS_YEARS = 10
#: 30号令 Art. 22: the review is applied for "期满前60日内", within the 60 days before it is due.
SPECIAL_OPERATION_APPLY_DAYS = 60

#: 44号令 Art. 25 and 104号 Art. 25–28: a safety qualification is valid 3 years, no review.
SAFETY_QUALIFICATION_VALID_YEARS = 3
#: The same clauses: renewal is applied for at least 30 days before expiry.
SAFETY_QUALIFICATION_APPLY_DAYS_BEFORE_EXPIRY = 30

#: The longest career the platform accepts for ``continuous_years`` (a bound on input, not a rule).
MAX_CONTINUOUS_YEARS = 80
