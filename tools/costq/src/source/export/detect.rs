//! Which export a file is (legacy CUR, CUR 2.0, FOCUS 1.0), told from its header or schema,
//! and where each thing a query needs lives in it: the [`Plan`] that CSV and Parquet readers
//! evaluate for every line item.

use opskit::Error;

use crate::query::{Charge, CostQuery, Dimension, Metric};

/// The kind of billing export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Legacy Cost and Usage Report: `lineItem/UnblendedCost`, `resourceTags/user:env`.
    Cur,
    /// Legacy CUR as AWS writes it in Parquet: snake_case columns (`line_item_unblended_cost`),
    /// a column per tag (`resource_tags_user_env`).
    CurSnake,
    /// CUR 2.0 (Data Exports): snake_case columns, `resource_tags` and `product` maps.
    Cur2,
    /// FOCUS 1.0: `BilledCost`, `EffectiveCost`, `ServiceName`, `Tags`.
    Focus,
}

impl Shape {
    /// The kind of charge a line item's type (CUR) or charge category (FOCUS) names; no text is
    /// usage.
    pub fn charge(self, kind: Option<&[u8]>) -> Charge {
        match (self, kind) {
            (_, None) => Charge::Usage,
            (Shape::Focus, Some(text)) => Charge::of_focus_category(text),
            (_, Some(text)) => Charge::of_line_item_type(text),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Shape::Cur | Shape::CurSnake => "cur",
            Shape::Cur2 => "cur2",
            Shape::Focus => "focus",
        }
    }

    /// Tell the shape from the column names.
    pub fn detect(columns: &[String]) -> Option<Shape> {
        let has = |name: &str| columns.iter().any(|c| c == name);
        if has("lineItem/UnblendedCost") || has("lineItem/UsageStartDate") {
            Some(Shape::Cur)
        } else if has("line_item_unblended_cost") || has("line_item_usage_start_date") {
            // CUR 2.0 keeps tags and product attributes in maps; legacy CUR in Parquet has a
            // column for each.
            Some(if has("resource_tags") || has("product") { Shape::Cur2 } else { Shape::CurSnake })
        } else if has("BilledCost") && has("ChargePeriodStart") {
            Some(Shape::Focus)
        } else {
            None
        }
    }
}

/// Where one value of a line item comes from, tried in order until one is non-empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A column (a slot of the plan).
    Column(usize),
    /// A key of a map column (CUR 2.0's `resource_tags`, FOCUS's `Tags`): a JSON object in CSV,
    /// a map in Parquet. The first key present wins.
    MapKey { slot: usize, keys: Vec<String> },
}

/// How a line item's cost is computed for the metric asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CostExpr {
    Column(usize),
    /// CUR's amortized cost: what AWS's Cost Explorer computes, line item type by line item type
    /// (Savings Plans and reservations spread over the usage they cover, their fees left out).
    Amortized(Box<Amortized>),
}

/// The columns the amortized formula reads (slots; `None` when the file lacks the column — an
/// error only if a line item needs it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Amortized {
    /// Ordinary usage: unblended (or net unblended) cost.
    pub usage: Needed,
    /// `SavingsPlanCoveredUsage`: the Savings Plan's effective cost.
    pub sp_effective: Needed,
    /// `SavingsPlanRecurringFee`: the commitment not used (total to date minus used).
    pub sp_total_commitment: Needed,
    pub sp_used_commitment: Needed,
    /// `DiscountedUsage`: the reservation's effective cost.
    pub ri_effective: Needed,
    /// `RIFee`: the unused part of the reservation's upfront and recurring fees.
    pub ri_unused_upfront: Needed,
    pub ri_unused_recurring: Needed,
    /// `Fee` lines of a reservation (its upfront fee) count zero.
    pub ri_arn: Option<usize>,
}

/// A column the formula may need: its slot, or its name to report when missing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Needed {
    Slot(usize),
    Missing(String),
}

/// What to read from each line item of one file.
#[derive(Clone, Debug)]
pub struct Plan {
    pub shape: Shape,
    /// The file's columns that are read, in file order: slot `i` is column `columns[i]`.
    pub columns: Vec<usize>,
    /// Their names, for errors.
    pub names: Vec<String>,
    pub date: usize,
    pub currency: Option<usize>,
    /// The line item type (CUR) or charge category (FOCUS), when the query needs it.
    pub charge: Option<usize>,
    pub cost: CostExpr,
    pub dims: Vec<Vec<Source>>,
    /// Tag dimensions whose column the file lacks (legacy CUR: a tag with no values that
    /// month has no column): they read as untagged.
    pub missing_tags: Vec<String>,
    /// The tags a legacy CUR file has columns for (`user:env` of `resourceTags/user:env`).
    pub tag_columns: Vec<String>,
}

/// Builds a plan: column names to slots.
struct Builder<'a> {
    header: &'a [String],
    columns: Vec<usize>,
}

impl Builder<'_> {
    fn index(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|c| c == name)
    }

    fn slot_of(&mut self, column: usize) -> usize {
        if let Some(i) = self.columns.iter().position(|c| *c == column) {
            return i;
        }
        self.columns.push(column);
        self.columns.len() - 1
    }

    fn slot(&mut self, name: &str) -> Option<usize> {
        let column = self.index(name)?;
        Some(self.slot_of(column))
    }

    fn needed(&mut self, name: &str) -> Needed {
        self.slot(name).map_or_else(|| Needed::Missing(name.to_owned()), Needed::Slot)
    }
}

/// The error for a column the query needs and the file lacks.
pub fn missing_column(column: &str, why: &str) -> Error {
    Error::data(format!("line 1: there is no column `{column}` ({why})"))
}

impl Plan {
    /// The plan for `query` over a file with these column names.
    pub fn new(shape: Shape, header: &[String], query: &CostQuery) -> Result<Plan, Error> {
        let mut b = Builder { header, columns: Vec::new() };
        let require =
            |b: &mut Builder<'_>, name: &str, why: &str| b.slot(name).ok_or_else(|| missing_column(name, why));
        let (date, currency, charge_name) = match shape {
            Shape::Cur => ("lineItem/UsageStartDate", "lineItem/CurrencyCode", "lineItem/LineItemType"),
            Shape::Cur2 | Shape::CurSnake => {
                ("line_item_usage_start_date", "line_item_currency_code", "line_item_line_item_type")
            }
            Shape::Focus => ("ChargePeriodStart", "BillingCurrency", "ChargeCategory"),
        };
        let date = require(&mut b, date, "the day each cost belongs to")?;
        let currency = b.slot(currency);
        let cost = cost_expr(&mut b, shape, query.metric)?;
        let needs_charge = query.split
            || !query.exclude.is_empty()
            || matches!(cost, CostExpr::Amortized(_))
            || query.dims.contains(&Dimension::ChargeType);
        let charge = if needs_charge {
            Some(require(
                &mut b,
                charge_name,
                "the charge type, for --split, --exclude, --by charge-type and amortized costs",
            )?)
        } else {
            None
        };
        let mut dims = Vec::new();
        let mut missing_tags = Vec::new();
        for dim in &query.dims {
            let sources = dimension_sources(&mut b, shape, dim)?;
            if sources.is_empty()
                && let Some(key) = dim.tag_key()
            {
                missing_tags.push(key.to_owned());
            }
            dims.push(sources);
        }
        let names = b.columns.iter().map(|c| header[*c].clone()).collect();
        let tag_columns = header
            .iter()
            .filter_map(|c| c.strip_prefix("resourceTags/").or_else(|| c.strip_prefix("resource_tags_")))
            .map(str::to_owned)
            .collect();
        Ok(Plan { shape, columns: b.columns, names, date, currency, charge, cost, dims, missing_tags, tag_columns })
    }
}

fn cost_expr(b: &mut Builder<'_>, shape: Shape, metric: Metric) -> Result<CostExpr, Error> {
    let why = format!("the cost for --metric {}", metric.as_str().replace('_', "-"));
    let column =
        |b: &mut Builder<'_>, name: &str| b.slot(name).map(CostExpr::Column).ok_or_else(|| missing_column(name, &why));
    match (shape, metric) {
        (Shape::Focus, Metric::Unblended | Metric::NetUnblended) => column(b, "BilledCost"),
        (Shape::Focus, Metric::Amortized | Metric::NetAmortized) => column(b, "EffectiveCost"),
        (Shape::Focus, Metric::Blended) => Err(Error::usage("FOCUS exports have no blended cost")
            .with_hint("use --metric unblended (BilledCost) or --metric amortized (EffectiveCost)")),
        (Shape::Cur, Metric::Unblended) => column(b, "lineItem/UnblendedCost"),
        (Shape::Cur, Metric::NetUnblended) => column(b, "lineItem/NetUnblendedCost"),
        (Shape::Cur, Metric::Blended) => column(b, "lineItem/BlendedCost"),
        (Shape::Cur2 | Shape::CurSnake, Metric::Unblended) => column(b, "line_item_unblended_cost"),
        (Shape::Cur2 | Shape::CurSnake, Metric::NetUnblended) => column(b, "line_item_net_unblended_cost"),
        (Shape::Cur2 | Shape::CurSnake, Metric::Blended) => column(b, "line_item_blended_cost"),
        (Shape::Cur | Shape::Cur2 | Shape::CurSnake, Metric::Amortized | Metric::NetAmortized) => {
            let net = metric == Metric::NetAmortized;
            let names = amortized_columns(shape, net);
            let usage = b.slot(names[0]).ok_or_else(|| missing_column(names[0], &why))?;
            Ok(CostExpr::Amortized(Box::new(Amortized {
                usage: Needed::Slot(usage),
                sp_effective: b.needed(names[1]),
                sp_total_commitment: b.needed(names[2]),
                sp_used_commitment: b.needed(names[3]),
                ri_effective: b.needed(names[4]),
                ri_unused_upfront: b.needed(names[5]),
                ri_unused_recurring: b.needed(names[6]),
                ri_arn: b.slot(names[7]),
            })))
        }
    }
}

/// The columns of the amortized formula, in [`Amortized`]'s order.
fn amortized_columns(shape: Shape, net: bool) -> [&'static str; 8] {
    match (shape, net) {
        (Shape::Cur, false) => [
            "lineItem/UnblendedCost",
            "savingsPlan/SavingsPlanEffectiveCost",
            "savingsPlan/TotalCommitmentToDate",
            "savingsPlan/UsedCommitment",
            "reservation/EffectiveCost",
            "reservation/UnusedAmortizedUpfrontFeeForBillingPeriod",
            "reservation/UnusedRecurringFee",
            "reservation/ReservationARN",
        ],
        (Shape::Cur, true) => [
            "lineItem/NetUnblendedCost",
            "savingsPlan/NetSavingsPlanEffectiveCost",
            "savingsPlan/TotalCommitmentToDate",
            "savingsPlan/UsedCommitment",
            "reservation/NetEffectiveCost",
            "reservation/NetUnusedAmortizedUpfrontFeeForBillingPeriod",
            "reservation/NetUnusedRecurringFee",
            "reservation/ReservationARN",
        ],
        (_, false) => [
            "line_item_unblended_cost",
            "savings_plan_savings_plan_effective_cost",
            "savings_plan_total_commitment_to_date",
            "savings_plan_used_commitment",
            "reservation_effective_cost",
            "reservation_unused_amortized_upfront_fee_for_billing_period",
            "reservation_unused_recurring_fee",
            "reservation_reservation_a_r_n",
        ],
        (_, true) => [
            "line_item_net_unblended_cost",
            "savings_plan_net_savings_plan_effective_cost",
            "savings_plan_total_commitment_to_date",
            "savings_plan_used_commitment",
            "reservation_net_effective_cost",
            "reservation_net_unused_amortized_upfront_fee_for_billing_period",
            "reservation_net_unused_recurring_fee",
            "reservation_reservation_a_r_n",
        ],
    }
}

/// Where a dimension's value lives in a file of `shape`. Empty for a tag the file has no
/// column for (legacy CUR); an error for a dimension the shape does not have.
fn dimension_sources(b: &mut Builder<'_>, shape: Shape, dim: &Dimension) -> Result<Vec<Source>, Error> {
    let columns = |b: &mut Builder<'_>, names: &[&str]| -> Vec<Source> {
        names.iter().filter_map(|n| b.slot(n)).map(Source::Column).collect()
    };
    let required = |b: &mut Builder<'_>, names: &[&str]| -> Result<Vec<Source>, Error> {
        let found = columns(b, names);
        if found.is_empty() { Err(missing_column(names[0], &format!("for --by {dim}"))) } else { Ok(found) }
    };
    match (shape, dim) {
        (Shape::Cur, Dimension::Service) => required(b, &["product/ProductName", "lineItem/ProductCode"]),
        (Shape::Cur, Dimension::Account) => required(b, &["lineItem/UsageAccountId"]),
        (Shape::Cur, Dimension::Region) => required(b, &["product/regionCode", "product/region"]),
        (Shape::Cur, Dimension::UsageType) => required(b, &["lineItem/UsageType"]),
        (Shape::Cur, Dimension::Operation) => required(b, &["lineItem/Operation"]),
        (Shape::Cur, Dimension::ChargeType) => required(b, &["lineItem/LineItemType"]),
        (Shape::Cur, Dimension::Tag(key) | Dimension::Env { tag: key }) => {
            let name = if key.starts_with("aws:") || key.starts_with("user:") {
                format!("resourceTags/{key}")
            } else {
                format!("resourceTags/user:{key}")
            };
            Ok(columns(b, &[&name]))
        }
        (Shape::Cur2, Dimension::Service) => {
            let mut sources = columns(b, &["product_product_name"]);
            if let Some(product) = b.slot("product") {
                sources.push(Source::MapKey { slot: product, keys: vec!["product_name".into()] });
            }
            sources.extend(columns(b, &["line_item_product_code"]));
            if sources.is_empty() {
                return Err(missing_column("line_item_product_code", &format!("for --by {dim}")));
            }
            Ok(sources)
        }
        (Shape::CurSnake, Dimension::Service) => required(b, &["product_product_name", "line_item_product_code"]),
        (Shape::CurSnake, Dimension::Region) => required(b, &["product_region_code", "product_region"]),
        (Shape::CurSnake, Dimension::Tag(key) | Dimension::Env { tag: key }) => Ok(columns(b, &[&tag_column(key)])),
        (Shape::Cur2, Dimension::Region) => required(b, &["product_region_code"]),
        (Shape::Cur2 | Shape::CurSnake, Dimension::Account) => required(b, &["line_item_usage_account_id"]),
        (Shape::Cur2 | Shape::CurSnake, Dimension::UsageType) => required(b, &["line_item_usage_type"]),
        (Shape::Cur2 | Shape::CurSnake, Dimension::Operation) => required(b, &["line_item_operation"]),
        (Shape::Cur2 | Shape::CurSnake, Dimension::ChargeType) => required(b, &["line_item_line_item_type"]),
        (Shape::Cur2, Dimension::Tag(key) | Dimension::Env { tag: key }) => {
            let slot =
                b.slot("resource_tags").ok_or_else(|| missing_column("resource_tags", &format!("for --by {dim}")))?;
            Ok(vec![Source::MapKey { slot, keys: cur2_tag_keys(key) }])
        }
        (Shape::Focus, Dimension::Service) => required(b, &["ServiceName"]),
        (Shape::Focus, Dimension::Account) => required(b, &["SubAccountId"]),
        (Shape::Focus, Dimension::Region) => required(b, &["RegionId", "Region"]),
        (Shape::Focus, Dimension::UsageType) => required(b, &["x_UsageType"]),
        (Shape::Focus, Dimension::Operation) => required(b, &["x_Operation"]),
        (Shape::Focus, Dimension::ChargeType) => required(b, &["ChargeCategory"]),
        (Shape::Focus, Dimension::Tag(key) | Dimension::Env { tag: key }) => {
            let slot = b.slot("Tags").ok_or_else(|| missing_column("Tags", &format!("for --by {dim}")))?;
            let keys = if key.contains(':') { vec![key.clone()] } else { vec![key.clone(), format!("user:{key}")] };
            Ok(vec![Source::MapKey { slot, keys }])
        }
    }
}

/// How AWS names a legacy CUR tag column in Parquet and Athena: `resource_tags_user_cost_center`
/// for `CostCenter`, `resource_tags_aws_created_by` for `aws:createdBy`.
pub fn tag_column(key: &str) -> String {
    let (prefix, key) = match key.strip_prefix("aws:") {
        Some(rest) => ("resource_tags_aws_", rest),
        None => ("resource_tags_user_", key.strip_prefix("user:").unwrap_or(key)),
    };
    let mut out = String::from(prefix);
    let mut previous_lower = false;
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            if previous_lower {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            previous_lower = false;
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
            previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else {
            if !out.ends_with('_') {
                out.push('_');
            }
            previous_lower = false;
        }
    }
    out
}

/// CUR 2.0 keeps user tags as `user_<key>` and AWS tags as `aws_<key>` in `resource_tags`.
fn cur2_tag_keys(key: &str) -> Vec<String> {
    let mut keys = Vec::new();
    if let Some(rest) = key.strip_prefix("aws:") {
        keys.push(format!("aws_{}", rest.replace(':', "_")));
    } else if let Some(rest) = key.strip_prefix("user:") {
        keys.push(format!("user_{rest}"));
    } else {
        keys.push(format!("user_{key}"));
    }
    keys.push(key.to_owned());
    keys
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    #[test]
    fn tag_columns_follow_aws_naming() {
        assert_eq!(tag_column("env"), "resource_tags_user_env");
        assert_eq!(tag_column("CostCenter"), "resource_tags_user_cost_center");
        assert_eq!(tag_column("user:team name"), "resource_tags_user_team_name");
        assert_eq!(tag_column("aws:createdBy"), "resource_tags_aws_created_by");
    }

    use super::*;
    use crate::query::{Granularity, Metric};

    fn header(text: &str) -> Vec<String> {
        text.split(',').map(str::to_owned).collect()
    }

    fn query(dims: Vec<Dimension>, metric: Metric) -> CostQuery {
        CostQuery {
            period: None,
            granularity: Granularity::Period,
            dims,
            metric,
            split: false,
            exclude: BTreeSet::new(),
            envs: None,
        }
    }

    #[test]
    fn shapes_are_told_from_their_columns() {
        assert_eq!(Shape::detect(&header("identity/LineItemId,lineItem/UnblendedCost")), Some(Shape::Cur));
        assert_eq!(
            Shape::detect(&header("line_item_usage_start_date,line_item_unblended_cost,resource_tags")),
            Some(Shape::Cur2)
        );
        assert_eq!(Shape::detect(&header("BilledCost,ChargePeriodStart,ServiceName")), Some(Shape::Focus));
        assert_eq!(Shape::detect(&header("line_item_unblended_cost,resource_tags_user_env")), Some(Shape::CurSnake));
        assert_eq!(Shape::detect(&header("date,amount,service")), None);
    }

    #[test]
    fn a_cur_plan_reads_only_what_the_query_needs() {
        let h = header(
            "lineItem/UsageStartDate,lineItem/CurrencyCode,lineItem/UnblendedCost,product/ProductName,lineItem/ProductCode,resourceTags/user:env",
        );
        let plan = Plan::new(
            Shape::Cur,
            &h,
            &query(vec![Dimension::Service, Dimension::Env { tag: "env".into() }], Metric::Unblended),
        )
        .unwrap();
        assert_eq!(
            plan.names,
            [
                "lineItem/UsageStartDate",
                "lineItem/CurrencyCode",
                "lineItem/UnblendedCost",
                "product/ProductName",
                "lineItem/ProductCode",
                "resourceTags/user:env"
            ]
        );
        assert_eq!(plan.dims[0], vec![Source::Column(3), Source::Column(4)], "product name, else product code");
        assert_eq!(plan.charge, None);
        let missing =
            Plan::new(Shape::Cur, &h, &query(vec![Dimension::Tag("team".into())], Metric::Unblended)).unwrap();
        assert_eq!(missing.missing_tags, ["team"]);
        let err = Plan::new(Shape::Cur, &h, &query(vec![], Metric::Blended)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 1: there is no column `lineItem/BlendedCost` (the cost for --metric blended)"
        );
        assert_eq!(err.exit(), opskit::Exit::DataErr);
    }

    #[test]
    fn focus_maps_billed_and_effective_cost_and_has_no_blended() {
        let h = header("ChargePeriodStart,BillingCurrency,BilledCost,EffectiveCost,ServiceName,Tags,ChargeCategory");
        let plan = Plan::new(Shape::Focus, &h, &query(vec![], Metric::Amortized)).unwrap();
        assert_eq!(plan.cost, CostExpr::Column(2));
        assert_eq!(plan.names[2], "EffectiveCost");
        assert_eq!(
            Plan::new(Shape::Focus, &h, &query(vec![], Metric::Blended)).unwrap_err().exit(),
            opskit::Exit::Usage
        );
        let err = Plan::new(Shape::Focus, &h, &query(vec![Dimension::UsageType], Metric::Unblended)).unwrap_err();
        assert!(err.to_string().contains("`x_UsageType`"), "{err}");
    }

    #[test]
    fn cur2_tags_and_service_come_from_maps() {
        let h =
            header("line_item_usage_start_date,line_item_unblended_cost,line_item_product_code,product,resource_tags");
        let plan = Plan::new(
            Shape::Cur2,
            &h,
            &query(vec![Dimension::Service, Dimension::Tag("team".into())], Metric::Unblended),
        )
        .unwrap();
        assert_eq!(plan.dims[0].len(), 2);
        assert!(matches!(&plan.dims[0][0], Source::MapKey { keys, .. } if keys == &["product_name"]));
        assert!(matches!(&plan.dims[1][0], Source::MapKey { keys, .. } if keys == &["user_team", "team"]));
    }
}
