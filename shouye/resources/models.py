"""Rescue forces and material reserves (issue 14; REGULATIONS-2 §E.1 708号令 Art. 10–13, §E.8 山东省突发事件应急
保障条例 Art. 39–45).

A team or a warehouse belongs to the district (no township, no enterprise: the bureau's roles see it), to a
township (its officers see it) or to an enterprise (stamped like every enterprise row, so the township, the
departments of its industry and the enterprise itself see it). Child rows scope through their team or
warehouse."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from shouye.core.importkit.models import ImportJobBase
from shouye.enterprises.stamps import StampedModel
from shouye.regions.scoping import ScopedQuerySet, ScopePaths, scope_for

from .choices import MovementKind, Readiness, ReserveKind, ReserveState, TeamKind, WarehouseState
from .permissions import VIEW_RESERVE

LATITUDE = [MinValueValidator(-90), MaxValueValidator(90)]
LONGITUDE = [MinValueValidator(-180), MaxValueValidator(180)]


class OwnedModel(StampedModel):
    """A row of the district, of a township, or of an enterprise: the stamps of :class:`StampedModel`, each
    empty when the owner is not an enterprise (``stamp_from`` fills all three for an enterprise's row)."""

    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("enterprise"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="%(class)ss")
    township = models.ForeignKey("regions.Region", verbose_name=_("township"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    industry = models.ForeignKey("enterprises.Industry", verbose_name=_("industry"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True

    @property
    def owner_name(self) -> str:
        if self.enterprise_id:
            return self.enterprise.name
        if self.township_id:
            return self.township.name
        return str(_("District"))


class TeamKindRule(models.Model):
    """The minimum number of members a team of a kind must have, edited by the bureau. Seeded by migration 0002:
    20 for each professional repair team (issue 14: the seed district's repair teams have "at least 20 people
    each"); no minimum for the other kinds (none is set by 708号令 or the Shandong rules)."""

    kind = models.CharField(_("kind of team"), max_length=20, choices=TeamKind.choices, unique=True)
    minimum_members = models.PositiveIntegerField(_("minimum members"), null=True, blank=True,
                                                  validators=[MaxValueValidator(100_000)])
    basis = models.CharField(_("basis"), max_length=200, blank=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("rule for a kind of team")
        verbose_name_plural = _("rules for the kinds of team")

    def __str__(self):
        return self.get_kind_display()


class Team(OwnedModel):
    """A rescue team (应急救援队伍) with its base, duty phone and readiness; ``incident`` is the opaque reference
    of the incident it was last dispatched to (the incidents app gives it)."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind of team"), max_length=20, choices=TeamKind.choices)
    base_address = models.CharField(_("base address"), max_length=200, blank=True)
    latitude = models.FloatField(_("latitude"), validators=LATITUDE)
    longitude = models.FloatField(_("longitude"), validators=LONGITUDE)
    duty_phone = models.CharField(_("duty phone"), max_length=20)
    readiness = models.CharField(_("readiness"), max_length=12, choices=Readiness.choices, default=Readiness.READY)
    incident = models.CharField(_("incident"), max_length=64, blank=True)
    member_count = models.PositiveIntegerField(_("members"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("rescue team")
        verbose_name_plural = _("rescue teams")
        permissions = [("manage_team", _("Can manage the rescue teams in one's scope")),
                       ("dispatch_team", _("Can dispatch rescue teams and materials"))]
        indexes = [models.Index(fields=["readiness", "latitude", "longitude"], name="resources_team_ready_point"),
                   models.Index(fields=["township", "kind"])]

    def __str__(self):
        return self.name


class TeamMember(models.Model):
    """A member with skills, certificates and a phone (masked for those who do not see personal data)."""

    SCOPE_PATHS = ScopePaths(region="team__township", industry="team__industry", enterprise="team__enterprise")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=50)
    skills = models.CharField(_("skills"), max_length=200, blank=True)
    certificates = models.CharField(_("certificates"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")

    def __str__(self):
        return self.name


class TeamEquipment(models.Model):
    SCOPE_PATHS = TeamMember.SCOPE_PATHS

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="equipment")
    name = models.CharField(_("equipment"), max_length=100)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1),
                                                                      MaxValueValidator(1_000_000)])
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("equipment of a team")
        verbose_name_plural = _("equipment of teams")

    def __str__(self):
        return f"{self.name} × {self.quantity}"


class TeamAgreement(models.Model):
    """A rescue agreement (救援协议) binding the team to the district or to an enterprise: a small enterprise's
    agreement with a nearby team instead of a team of its own (708号令 Art. 10); the team must join when the
    partner asks (Art. 19). ``enterprise`` empty: the agreement is with the district."""

    SCOPE_PATHS = TeamMember.SCOPE_PATHS

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="agreements")
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("enterprise"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="rescue_agreements")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    scope = models.CharField(_("scope of the agreement"), max_length=300)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-ends_on", "-id"]
        verbose_name = _("rescue agreement")
        verbose_name_plural = _("rescue agreements")

    def __str__(self):
        return f"{self.team} · {self.enterprise or _('District')}"


class Item(models.Model):
    """An entry of the district's catalogue of emergency materials (品种目录, Art. 42).

    ``rotation_notice_days``: how long before expiry a batch is shown as due for rotation (Art. 43 requires
    rotation but names no lead time [U]: 30 days by default, edited per item by the bureau)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    category = models.CharField(_("category"), max_length=50)
    unit = models.CharField(_("unit"), max_length=20)
    shelf_life_months = models.PositiveIntegerField(_("shelf life (months)"), null=True, blank=True,
                                                    validators=[MinValueValidator(1), MaxValueValidator(1200)])
    rotation_notice_days = models.PositiveIntegerField(_("rotation notice (days before expiry)"), default=30,
                                                       validators=[MaxValueValidator(3650)])

    class Meta:
        ordering = ["category", "name"]
        verbose_name = _("material item")
        verbose_name_plural = _("material items")

    def __str__(self):
        return f"{self.name}（{self.unit}）"


class Warehouse(OwnedModel):
    """A warehouse (应急仓库) of the government or of an enterprise (实物储备)."""

    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.FloatField(_("latitude"), validators=LATITUDE)
    longitude = models.FloatField(_("longitude"), validators=LONGITUDE)
    keeper_name = models.CharField(_("keeper"), max_length=50, blank=True)
    keeper_phone = models.CharField(_("keeper's phone"), max_length=20, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=WarehouseState.choices, default=WarehouseState.OPEN)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        permissions = [("manage_warehouse", _("Can manage the warehouses and stock in one's scope"))]
        indexes = [models.Index(fields=["state", "latitude", "longitude"], name="resources_wh_open_point")]

    def __str__(self):
        return self.name


class StockLine(models.Model):
    """An item in a warehouse: quantity, minimum stock, and the nearest expiry of its batches (Art. 43: rotate
    before expiry, scrap at or past it). The movement services keep ``quantity`` at zero or above, equal to the
    sum of its batches (:class:`StockBatch`), and ``expires_on`` equal to the earliest expiry among them."""

    SCOPE_PATHS = ScopePaths(region="warehouse__township", industry="warehouse__industry",
                             enterprise="warehouse__enterprise")

    warehouse = models.ForeignKey(Warehouse, on_delete=models.CASCADE, related_name="stock")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="stock")
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2, default=0,
                                   validators=[MinValueValidator(0)])
    minimum = models.DecimalField(_("minimum stock"), max_digits=12, decimal_places=2, default=0,
                                  validators=[MinValueValidator(0)])
    expires_on = models.DateField(_("nearest expiry"), null=True, blank=True)
    #: the warehouse's point, copied when the line is made (a warehouse does not move), so that nearest dispatch
    #: finds the lines of an item around a point in one index (bench/resources_nearest.py)
    latitude = models.FloatField(_("latitude"), validators=LATITUDE)
    longitude = models.FloatField(_("longitude"), validators=LONGITUDE)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["item__category", "item__name"]
        verbose_name = _("stock line")
        verbose_name_plural = _("stock lines")
        constraints = [models.UniqueConstraint(fields=["warehouse", "item"], name="resources_stock_line_key"),
                       models.CheckConstraint(condition=models.Q(quantity__gte=0), name="resources_stock_not_negative")]
        indexes = [models.Index(fields=["item", "latitude", "longitude"], name="resources_stock_item_point")]

    def __str__(self):
        return f"{self.warehouse} · {self.item}"

    @property
    def below_minimum(self) -> bool:
        return self.quantity < self.minimum

    def expiring(self, today) -> bool:
        """At or past expiry, or within the item's rotation notice."""
        return self.expires_on is not None and self.expires_on <= today + timedelta(
            days=self.item.rotation_notice_days)


class StockMovement(models.Model):
    """One audited change of stock; a transfer is two rows (out of one warehouse, into the other)."""

    SCOPE_PATHS = StockLine.SCOPE_PATHS

    warehouse = models.ForeignKey(Warehouse, on_delete=models.CASCADE, related_name="movements")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("movement"), max_length=12, choices=MovementKind.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2,
                                   validators=[MinValueValidator(0)])
    other_warehouse = models.ForeignKey(Warehouse, verbose_name=_("other warehouse"), null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)
    incident = models.CharField(_("incident"), max_length=64, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("time"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        indexes = [models.Index(fields=["warehouse", "at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.item} {self.quantity}"


class StockBatch(models.Model):
    """One batch (lot) of a stock line with its own expiry: what one receipt brought in, less what has been
    taken from it. Stock leaves earliest-expiring first (rotation, Shandong 应急保障条例 Art. 43, REGULATIONS-2
    §E.8); a batch without expiry leaves last. An emptied batch is deleted."""

    SCOPE_PATHS = ScopePaths(region="line__warehouse__township", industry="line__warehouse__industry",
                             enterprise="line__warehouse__enterprise")

    line = models.ForeignKey(StockLine, on_delete=models.CASCADE, related_name="batches")
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2,
                                   validators=[MinValueValidator(0)])
    expires_on = models.DateField(_("expiry"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"))

    class Meta:
        ordering = [models.F("expires_on").asc(nulls_last=True), "id"]
        verbose_name = _("stock batch")
        verbose_name_plural = _("stock batches")
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gt=0), name="resources_batch_positive")]

    def __str__(self):
        return f"{self.line} · {self.expires_on or '—'} × {self.quantity}"


class ReserveQuerySet(models.QuerySet):
    """Reserves are the bureau's (Art. 42: the county government's reserve plan), managed by it alone
    (``resources.manage_reserve``). Whoever holds ``resources.view_reserve`` reads them: the district-wide roles
    every one, a township officer the district's own (no township) and those made for its township; nobody
    else any."""

    def visible_to(self, user):
        if not (user.is_authenticated and user.has_perm(VIEW_RESERVE)):
            return self.none()
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        return self.filter(models.Q(township__isnull=True) | models.Q(township__in=sorted(scope.region_ids)))


class Reserve(models.Model):
    """An agreement reserve (协议储备: a supplier holds items for the district and delivers them within its
    response time, Shandong 应急保障条例 Art. 45) or a capacity reserve (产能储备: a producer's capacity per item
    per day, Art. 39, 42). It counts beside the physical stock while in force: from ``starts_on`` to
    ``ends_on`` inclusive, unless terminated. Its lines (:class:`ReserveLine`) hold quantities (agreement) or
    quantities per day (capacity). ``township``: empty for the district's reserve (every township reads it),
    else the township it was made for (that township reads it)."""

    kind = models.CharField(_("kind of reserve"), max_length=10, choices=ReserveKind.choices)
    township = models.ForeignKey("regions.Region", verbose_name=_("township"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    supplier = models.CharField(_("supplier"), max_length=100)
    contact_name = models.CharField(_("contact"), max_length=50)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.FloatField(_("latitude"), validators=LATITUDE)
    longitude = models.FloatField(_("longitude"), validators=LONGITUDE)
    response_hours = models.PositiveIntegerField(_("response time (hours)"),
                                                 validators=[MinValueValidator(1), MaxValueValidator(720)])
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    state = models.CharField(_("state"), max_length=10, choices=ReserveState.choices, default=ReserveState.ACTIVE)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ReserveQuerySet.as_manager()

    class Meta:
        ordering = ["-ends_on", "-id"]
        verbose_name = _("reserve agreement")
        verbose_name_plural = _("reserve agreements")
        permissions = [("manage_reserve", _("Can manage the agreement and capacity reserves"))]
        indexes = [models.Index(fields=["kind", "state", "ends_on"], name="resources_reserve_in_force")]
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              name="resources_reserve_term")]

    def __str__(self):
        return f"{self.supplier}（{self.get_kind_display()}）"

    def in_force(self, today) -> bool:
        return self.state == ReserveState.ACTIVE and self.starts_on <= today <= self.ends_on


class ReserveLine(models.Model):
    """An item of a reserve: the quantity held for the district (agreement) or produced per day (capacity)."""

    reserve = models.ForeignKey(Reserve, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="reserve_lines")
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2,
                                   validators=[MinValueValidator(Decimal("0.01"))])

    class Meta:
        ordering = ["item__category", "item__name"]
        verbose_name = _("item of a reserve")
        verbose_name_plural = _("items of reserves")
        constraints = [models.UniqueConstraint(fields=["reserve", "item"], name="resources_reserve_line_key"),
                       models.CheckConstraint(condition=models.Q(quantity__gt=0), name="resources_reserve_positive")]

    def __str__(self):
        return f"{self.reserve} · {self.item}"


class StockImportJob(ImportJobBase):
    """One Excel import of a stock list (``shouye.resources.imports``): all-or-nothing; large files run in the
    background and report progress."""

    created_count = models.PositiveIntegerField(_("rows imported"), default=0)

    class Meta(ImportJobBase.Meta):
        verbose_name = _("stock import")
        verbose_name_plural = _("stock imports")


class RoadNetwork(models.Model):
    """The district's road network for nearest dispatch (issue 14: "ranked by travel distance where a road
    network is configured"), uploaded as GeoJSON by the bureau (``shouye.resources.roads``). ``graph`` holds
    the nodes' points and the undirected edges with their length in metres, zlib-compressed. One district per
    deployment, so no region: at most one network is active (a constraint), the one nearest dispatch uses."""

    name = models.CharField(_("name"), max_length=100)
    graph = models.BinaryField(_("graph"))
    node_count = models.PositiveIntegerField(_("nodes"))
    edge_count = models.PositiveIntegerField(_("edges"))
    length_km = models.FloatField(_("length (km)"))
    component_count = models.PositiveIntegerField(_("connected parts"))
    #: the share of the nodes in the largest connected part (1.0: every road reaches every other)
    largest_component_share = models.FloatField(_("share of the largest connected part"))
    active = models.BooleanField(_("active"), default=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"))

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("road network")
        verbose_name_plural = _("road networks")
        permissions = [("manage_road_network", _("Can upload and deactivate the road network"))]
        constraints = [models.UniqueConstraint(fields=["active"], condition=models.Q(active=True),
                                               name="resources_one_active_road_network")]

    def __str__(self):
        return self.name
