//! Raw economy -> [`Economy`]: the declarations (tokens, numeraire,
//! accounts, genesis, markets, oracles) here; the rules that use them
//! (splits, versions, revenue, plans, buybacks, sales, redemptions) in
//! `rules.rs`. Every section is numbered in file order.

use super::names::{Ctx, Names, Table, RESERVED};
use super::raw::{RawEconomy, RawMarket};
use super::{launches, points, rewards, rules, MAX_GENESIS_UNITS};
use crate::doc::{Kind, Node};
use furnace_core::economy::{AccountSpec, AssetSpec, Economy, MarketKind, MarketSpec, Oracle};
use furnace_core::ids::{
    AccountId, AssetId, LaunchSpecId, MarketId, PlanId, PointsRulesId, ProgramId, RedemptionId,
    RewardPoolId, RuleId, SaleId, ScheduleId, SplitId, VersionId,
};
use furnace_core::units::{Ppm, MAX_DECIMALS};
use toml::Spanned;

/// Decimals of a token that does not say.
pub const DEFAULT_DECIMALS: u8 = 18;

/// Compile every section; errors go to `cx`. The result is meaningful only
/// if `cx.errors` stays empty.
pub(crate) fn compile(cx: &mut Ctx, raw: &RawEconomy) -> (Economy, Vec<String>) {
    cx.at("name", &raw.name);
    let (assets, descriptions) = tokens(cx, raw);
    let asset_table = Table::new(
        cx,
        ("asset", "tokens"),
        raw.tokens.keys(),
        AssetId::declared,
        AssetId(0),
    );
    let account_table = Table::new(
        cx,
        ("account", "accounts"),
        raw.accounts.keys(),
        AccountId::named,
        AccountId(0),
    );
    let mut names = Names {
        assets: asset_table,
        decimals: assets.iter().map(|a| a.decimals).collect(),
        numeraire: None,
        accounts: account_table,
        markets: Table::new(
            cx,
            ("market", "markets"),
            raw.markets.keys(),
            MarketId::from_index,
            MarketId(0),
        ),
        versions: Table::new(
            cx,
            ("version", "versions"),
            raw.versions.keys(),
            VersionId::from_index,
            VersionId(0),
        ),
        splits: Table::new(
            cx,
            ("split", "splits"),
            raw.splits.keys(),
            SplitId::from_index,
            SplitId(0),
        ),
        rules: Table::new(
            cx,
            ("revenue rule", "revenue"),
            raw.revenue.keys(),
            RuleId::from_index,
            RuleId(0),
        ),
        pools: Table::new(
            cx,
            ("reward pool", "reward_pools"),
            raw.reward_pools.keys(),
            RewardPoolId::from_index,
            RewardPoolId(0),
        ),
    };
    Table::new(
        cx,
        ("emission schedule", "emissions"),
        raw.emissions.keys(),
        ScheduleId::from_index,
        ScheduleId(0),
    );
    // Sections nothing in the file refers to: numbered for their spans and
    // their id range only.
    Table::new(
        cx,
        ("plan", "plans"),
        raw.plans.keys(),
        PlanId::from_index,
        PlanId(0),
    );
    Table::new(
        cx,
        ("buyback", "buybacks"),
        raw.buybacks.keys(),
        ProgramId::from_index,
        ProgramId(0),
    );
    Table::new(
        cx,
        ("sale", "sales"),
        raw.sales.keys(),
        SaleId::from_index,
        SaleId(0),
    );
    Table::new(
        cx,
        ("launch", "launches"),
        raw.launches.keys(),
        LaunchSpecId::from_index,
        LaunchSpecId(0),
    );
    Table::new(
        cx,
        ("points rule", "points"),
        raw.points.keys(),
        PointsRulesId::from_index,
        PointsRulesId(0),
    );
    Table::new(
        cx,
        ("redemption", "redemptions"),
        raw.redemptions.keys(),
        RedemptionId::from_index,
        RedemptionId(0),
    );

    let numeraire = names.asset(cx, "numeraire", &raw.numeraire);
    if names.assets.get(raw.numeraire.get_ref()).is_some() {
        names.numeraire = Some(numeraire);
    }
    let accounts = accounts(cx, raw);
    let genesis = genesis(cx, raw, &names);
    let markets = raw
        .markets
        .iter()
        .map(|(name, m)| market(cx, &names, name, m))
        .collect();
    let oracles = raw
        .tokens
        .iter()
        .map(|(name, t)| {
            let key = format!("tokens.{}.oracle", name.get_ref());
            oracle(cx, &names, &key, t.oracle.as_ref())
        })
        .collect();

    let economy = Economy {
        name: raw.name.get_ref().clone(),
        assets,
        numeraire,
        oracles,
        accounts,
        genesis,
        splits: rules::splits(cx, &names, raw),
        versions: rules::versions(cx, &names, raw),
        rules: rules::revenue(cx, &names, raw),
        plans: rules::plans(cx, &names, raw),
        markets,
        buybacks: rules::buybacks(cx, &names, raw),
        sales: rules::sales(cx, &names, raw),
        redemptions: rules::redemptions(cx, &names, raw),
        reward_pools: rewards::reward_pools(cx, &names, raw),
        emissions: rewards::emissions(cx, &names, raw),
        launches: launches::launches(cx, &names, raw),
        points: points::points(cx, &names, raw),
    };
    (economy, descriptions)
}

fn tokens(cx: &mut Ctx, raw: &RawEconomy) -> (Vec<AssetSpec>, Vec<String>) {
    let mut assets = Vec::new();
    let mut descriptions = Vec::new();
    for (name, t) in &raw.tokens {
        let key = format!("tokens.{}", name.get_ref());
        let decimals = match &t.decimals {
            None => DEFAULT_DECIMALS,
            Some(d) => {
                let dkey = format!("{key}.decimals");
                cx.at(&dkey, d);
                // Checked here, not only by the core: amounts of this token
                // are parsed with its decimals before the core sees them.
                if *d.get_ref() > MAX_DECIMALS {
                    cx.err(
                        Some(d.span()),
                        &dkey,
                        format!("at most {MAX_DECIMALS} decimals"),
                    );
                    MAX_DECIMALS
                } else {
                    *d.get_ref()
                }
            }
        };
        let max_supply = t.max_supply.as_ref().and_then(|m| {
            let unit = name.get_ref();
            cx.amount_at_most(
                &format!("{key}.max_supply"),
                m,
                decimals,
                MAX_GENESIS_UNITS,
                unit,
            )
        });
        assets.push(AssetSpec {
            name: name.get_ref().clone(),
            decimals,
            max_supply,
        });
        descriptions.push(t.description.clone());
    }
    (assets, descriptions)
}

fn accounts(cx: &mut Ctx, raw: &RawEconomy) -> Vec<AccountSpec> {
    let mut accounts = Vec::new();
    for (name, a) in &raw.accounts {
        if RESERVED.contains(&name.get_ref().as_str()) {
            cx.err(
                Some(name.span()),
                &format!("accounts.{}", name.get_ref()),
                format!(
                    "`{}` is a reserved word ({}): choose another account name",
                    name.get_ref(),
                    RESERVED.join(", ")
                ),
            );
        }
        accounts.push(AccountSpec {
            name: name.get_ref().clone(),
            description: a.description.clone(),
        });
    }
    accounts
}

fn genesis(cx: &mut Ctx, raw: &RawEconomy, names: &Names) -> Vec<(AssetId, AccountId, u128)> {
    let mut genesis = Vec::new();
    for (account, holdings) in &raw.genesis {
        let key = format!("genesis.{}", account.get_ref());
        let account_id = names.account(cx, &key, account);
        for (asset, value) in holdings {
            let key = format!("{key}.{}", asset.get_ref());
            // The key's span is its value's (recorded first), the asset's
            // name is where an unknown asset is reported.
            cx.at(&key, value);
            let asset_id = names.asset(cx, &key, asset);
            let decimals = names.decimals(asset_id);
            let unit = asset.get_ref();
            if let Some(units) = cx.amount_at_most(&key, value, decimals, MAX_GENESIS_UNITS, unit) {
                genesis.push((asset_id, account_id, units));
            }
        }
    }
    genesis
}

/// A required field of a market of kind `kind`, or an error at the market's
/// name.
fn need<'v, T>(
    cx: &mut Ctx,
    name: &Spanned<String>,
    kind: &str,
    field: &str,
    value: &'v Option<T>,
) -> Option<&'v T> {
    if value.is_none() {
        cx.err(
            Some(name.span()),
            &format!("markets.{}.{field}", name.get_ref()),
            format!("a {kind} market needs `{field}`"),
        );
    }
    value.as_ref()
}

/// A field of the other kind of market is an error (it would be ignored).
fn refuse<T>(
    cx: &mut Ctx,
    name: &Spanned<String>,
    kind: &str,
    field: &str,
    value: &Option<Spanned<T>>,
) {
    if let Some(v) = value {
        cx.err(
            Some(v.span()),
            &format!("markets.{}.{field}", name.get_ref()),
            format!("`{field}` does not apply to a {kind} market"),
        );
    }
}

fn market(cx: &mut Ctx, names: &Names, name: &Spanned<String>, m: &RawMarket) -> MarketSpec {
    let key = format!("markets.{}", name.get_ref());
    cx.at(&format!("{key}.kind"), &m.kind);
    let kind = match m.kind.get_ref().as_str() {
        "pool" => {
            refuse(cx, name, "pool", "token", &m.token);
            refuse(cx, name, "pool", "account", &m.account);
            let mut assets = [AssetId(0); 2];
            if let Some(a) = need(cx, name, "pool", "assets", &m.assets) {
                let akey = format!("{key}.assets");
                cx.at(&akey, a);
                if a.get_ref().len() == 2 {
                    for (i, n) in a.get_ref().iter().enumerate() {
                        assets[i] = names.asset(cx, &format!("{akey}[{i}]"), n);
                    }
                } else {
                    cx.err(
                        Some(a.span()),
                        &akey,
                        format!(
                            "a pool trades exactly two assets, found {}",
                            a.get_ref().len()
                        ),
                    );
                }
            }
            let mut genesis = [0u128; 2];
            if let Some(r) = &m.reserves {
                let rkey = format!("{key}.reserves");
                cx.at(&rkey, r);
                if r.get_ref().len() == 2 {
                    for (i, v) in r.get_ref().iter().enumerate() {
                        let decimals = names.decimals(assets[i]);
                        let unit = m.assets.as_ref().and_then(|a| a.get_ref().get(i));
                        let unit = unit.map_or("", |u| u.get_ref().as_str());
                        genesis[i] = cx
                            .amount_at_most(
                                &format!("{rkey}[{i}]"),
                                v,
                                decimals,
                                MAX_GENESIS_UNITS,
                                unit,
                            )
                            .unwrap_or(0);
                    }
                } else {
                    cx.err(
                        Some(r.span()),
                        &rkey,
                        format!(
                            "give both genesis reserves, whole units in the order of `assets`, or neither; found {}",
                            r.get_ref().len()
                        ),
                    );
                }
            }
            let fee = need(cx, name, "pool", "fee", &m.fee)
                .map_or(Ppm::ZERO, |f| cx.share(&format!("{key}.fee"), f));
            let lp_to = need(cx, name, "pool", "lp_to", &m.lp_to).map_or(AccountId(0), |a| {
                names.account(cx, &format!("{key}.lp_to"), a)
            });
            MarketKind::Pool {
                assets,
                fee,
                genesis,
                lp_to,
            }
        }
        "external" => {
            refuse(cx, name, "external", "assets", &m.assets);
            refuse(cx, name, "external", "reserves", &m.reserves);
            refuse(cx, name, "external", "fee", &m.fee);
            refuse(cx, name, "external", "lp_to", &m.lp_to);
            let token = need(cx, name, "external", "token", &m.token)
                .map_or(AssetId(0), |t| names.token(cx, &format!("{key}.token"), t));
            let account = need(cx, name, "external", "account", &m.account)
                .map_or(AccountId(0), |a| {
                    names.account(cx, &format!("{key}.account"), a)
                });
            MarketKind::External { token, account }
        }
        other => {
            cx.err(
                Some(m.kind.span()),
                &format!("{key}.kind"),
                format!("unknown market kind `{other}` (pool, external)"),
            );
            MarketKind::External {
                token: AssetId(0),
                account: AccountId(0),
            }
        }
    };
    MarketSpec {
        name: name.get_ref().clone(),
        kind,
    }
}

const ORACLE_FORMS: &str =
    r#""exogenous", { spot = "<pool>" } or { twap = "<pool>", window = <steps> }"#;

/// `tokens.X.oracle`: absent or `"exogenous"`, `{ spot = "<pool>" }`,
/// `{ twap = "<pool>", window = <steps> }`. Every error is at the oracle's
/// value.
fn oracle(cx: &mut Ctx, names: &Names, key: &str, value: Option<&Node>) -> Oracle {
    let Some(value) = value else {
        return Oracle::Exogenous;
    };
    let span = value.span.clone();
    cx.spans.record(key, span.clone());
    let fail = |cx: &mut Ctx, key: &str, message: String| {
        cx.err(Some(span.clone()), key, message);
        Oracle::Exogenous
    };
    let table = match &value.kind {
        Kind::Str(s) if s == "exogenous" => return Oracle::Exogenous,
        Kind::Table(t) => t,
        other => {
            let found = other.describe();
            return fail(cx, key, format!("write {ORACLE_FORMS}, not {found}"));
        }
    };
    if let Some(unknown) = table
        .entries
        .iter()
        .find(|e| !["spot", "twap", "window"].contains(&e.key.as_str()))
    {
        return fail(
            cx,
            key,
            format!("unknown oracle key `{}`: write {ORACLE_FORMS}", unknown.key),
        );
    }
    let market = |cx: &mut Ctx, v: &Node| match &v.kind {
        Kind::Str(pool) => {
            let pool = Spanned::new(span.clone(), pool.clone());
            Some(names.markets.resolve(cx, key, &pool))
        }
        other => {
            cx.err(
                Some(span.clone()),
                key,
                format!("name the pool as a string, not {}", other.describe()),
            );
            None
        }
    };
    let get = |k: &str| table.get(k).map(|e| &e.value);
    match (get("spot"), get("twap"), get("window")) {
        (Some(pool), None, None) => market(cx, pool).map_or(Oracle::Exogenous, Oracle::Spot),
        (None, Some(pool), Some(window)) => {
            let market = market(cx, pool);
            let wkey = format!("{key}.window");
            let window = match window.kind {
                Kind::Int(w) => u32::try_from(w).ok(),
                _ => None,
            };
            match (market, window) {
                (Some(market), Some(window)) => Oracle::Twap { market, window },
                (_, None) => fail(cx, &wkey, "`window` is a whole number of steps".into()),
                (None, Some(_)) => Oracle::Exogenous,
            }
        }
        (None, Some(_), None) => fail(
            cx,
            &format!("{key}.window"),
            "a time-weighted oracle needs `window`, in steps".into(),
        ),
        (Some(_), None, Some(_)) => fail(
            cx,
            &format!("{key}.window"),
            "`window` goes with `twap`, not `spot`".into(),
        ),
        _ => fail(cx, key, format!("name one pool: write {ORACLE_FORMS}")),
    }
}
