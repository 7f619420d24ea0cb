"""Campaign templates of one project."""

from __future__ import annotations

from sqlalchemy import RowMapping

from openvoucher.adapters.db.schema.management import campaign_templates
from openvoucher.catalog.model import CampaignTemplate, RuleCopy
from openvoucher.kernel.scoped import ScopedRows


def _template(row: RowMapping) -> CampaignTemplate:
    attrs = row["attrs"]
    return CampaignTemplate(
        id=row["id"],
        name=row["name"],
        description=row["description"],
        campaign_type=row["campaign_type"],
        campaign=attrs["campaign"],
        validation_rules=tuple(
            RuleCopy(copy["name"], copy["attrs"]) for copy in attrs.get("validation_rules") or ()
        ),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


class CampaignTemplateRepository(ScopedRows):
    """SQL for campaign templates."""

    table = campaign_templates

    def template(self, template_id: str) -> CampaignTemplate | None:
        """By id."""
        query = self._scoped().where(campaign_templates.c.id == template_id)
        row = self.conn.execute(query).mappings().first()
        return _template(row) if row else None

    def named(self, name: str) -> CampaignTemplate | None:
        """The template with this name."""
        query = self._scoped().where(campaign_templates.c.name == name)
        row = self.conn.execute(query).mappings().first()
        return _template(row) if row else None

    def add(self, template: CampaignTemplate) -> None:
        """Store a new template."""
        copies = [{"name": c.name, "attrs": c.attrs} for c in template.validation_rules]
        self.insert(
            {
                "id": template.id,
                "name": template.name,
                "description": template.description,
                "campaign_type": template.campaign_type,
                "attrs": {"campaign": template.campaign, "validation_rules": copies},
                "created_at": template.created_at,
                "updated_at": template.updated_at,
            }
        )

    def count(self) -> int:
        """How many templates the project has."""
        return self._count()

    def page(self, limit: int, after: str | None, descending: bool) -> list[CampaignTemplate]:
        """Up to ``limit`` templates in id order, after the template ``after`` when given."""
        c = campaign_templates.c
        query = self._scoped()
        if after is not None:
            query = query.where(c.id < after if descending else c.id > after)
        query = query.order_by(c.id.desc() if descending else c.id).limit(limit)
        return [_template(r) for r in self.conn.execute(query).mappings()]
