//! Events: the only way state changes. The simulator synthesises them; the
//! metering service reads them from its durable log. Both hand them to
//! [`crate::engine::apply`].

use crate::economy::{AccountId, AssetId, PlanId, VersionId};
use crate::units::BaseUnits;

/// A marketplace workflow (dense id, assigned by [`Event::PublishWorkflow`]).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WorkflowId(pub u32);

/// A trained action path (dense id, assigned by [`Event::RegisterTrainerPath`]).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PathId(pub u32);

/// A subscription (dense id, assigned by [`Event::Subscribe`]).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SubscriptionId(pub u32);

/// Why tokens were minted. Indexes the per-reason counters in
/// [`crate::state::AssetTotals`].
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum MintReason {
    /// Initial allocation of the economy file.
    Genesis = 0,
    /// Emissions: training rewards.
    TrainingReward = 1,
    /// Emissions: grants approved by the DAO.
    Grant = 2,
    /// Emissions: referral commissions.
    Referral = 3,
    /// Emissions: staking rewards.
    Staking = 4,
    /// Money entering from outside the modelled economy (USD only: a
    /// customer paying for a subscription or buying tokens).
    ExternalInflow = 5,
}

impl MintReason {
    pub const COUNT: usize = 6;
    pub const ALL: [MintReason; Self::COUNT] = [
        MintReason::Genesis,
        MintReason::TrainingReward,
        MintReason::Grant,
        MintReason::Referral,
        MintReason::Staking,
        MintReason::ExternalInflow,
    ];

    /// Emissions in the seed's sense (`E_t`): new supply beyond genesis.
    pub fn is_emission(self) -> bool {
        !matches!(self, MintReason::Genesis | MintReason::ExternalInflow)
    }

    pub fn name(self) -> &'static str {
        match self {
            MintReason::Genesis => "genesis",
            MintReason::TrainingReward => "training_reward",
            MintReason::Grant => "grant",
            MintReason::Referral => "referral",
            MintReason::Staking => "staking",
            MintReason::ExternalInflow => "external_inflow",
        }
    }

    pub fn parse(text: &str) -> Option<MintReason> {
        Self::ALL.into_iter().find(|r| r.name() == text)
    }
}

/// Why tokens were burned. Indexes the per-reason counters.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum BurnReason {
    /// The burn share of consumed tokens (and anything a split routes to burn).
    Action = 0,
    /// Tokens bought back and burned.
    Buyback = 1,
    /// A holder burning their own tokens.
    Voluntary = 2,
    /// A penalty.
    Penalty = 3,
    /// The tokens of an action that failed.
    FailedAction = 4,
    /// Money leaving the modelled economy (USD only).
    ExternalOutflow = 5,
}

impl BurnReason {
    pub const COUNT: usize = 6;
    pub const ALL: [BurnReason; Self::COUNT] = [
        BurnReason::Action,
        BurnReason::Buyback,
        BurnReason::Voluntary,
        BurnReason::Penalty,
        BurnReason::FailedAction,
        BurnReason::ExternalOutflow,
    ];

    pub fn name(self) -> &'static str {
        match self {
            BurnReason::Action => "action",
            BurnReason::Buyback => "buyback",
            BurnReason::Voluntary => "voluntary",
            BurnReason::Penalty => "penalty",
            BurnReason::FailedAction => "failed_action",
            BurnReason::ExternalOutflow => "external_outflow",
        }
    }

    pub fn parse(text: &str) -> Option<BurnReason> {
        Self::ALL.into_iter().find(|r| r.name() == text)
    }
}

/// Who pays for actions.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Payer {
    /// An account pays from its own token balance at the current price.
    Account(AccountId),
    /// A subscription's allowance: a token-paid subscription releases its
    /// escrow pro rata to the plan's included actions; a USD-paid one is
    /// funded from the buyback destination (the operator's token inventory)
    /// at the current price.
    Subscription(SubscriptionId),
}

/// How a subscription is paid.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Payment {
    /// In USD: the revenue split applies (LAM: 80% to the buyback budget).
    Usd,
    /// In tokens at the economy's discount: `ceil(S * (1 - d) / P)` tokens
    /// move from the subscriber to escrow.
    Token,
}

/// A trainer of an action path with their weight components.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct TrainerWeight {
    pub trainer: AccountId,
    /// Quality score (any non-negative integer scale, e.g. 0..=100).
    pub quality: u32,
    /// How often the trainer's demonstrations were used.
    pub usage: u64,
}

/// One change to an economy. Applying it either succeeds completely or is
/// rejected and changes nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// Open a new, empty account (a user, creator, trainer...).
    OpenAccount,
    /// The market price of a token, in pico-dollars per whole token (the
    /// oracle; exogenous until markets arrive).
    SetPrice {
        token: AssetId,
        price_usd_pico: u128,
    },
    /// Create new units: emissions (training rewards, grants...) or, for
    /// USD, money entering from outside.
    Mint {
        asset: AssetId,
        to: AccountId,
        amount_base_units: BaseUnits,
        reason: MintReason,
    },
    /// Destroy units held by `from`.
    Burn {
        asset: AssetId,
        from: AccountId,
        amount_base_units: BaseUnits,
        reason: BurnReason,
    },
    /// Move units between accounts.
    Transfer {
        asset: AssetId,
        from: AccountId,
        to: AccountId,
        amount_base_units: BaseUnits,
    },
    /// `buyer` buys tokens from the economy's market account at the current
    /// price, paying `ceil(amount * price)` USD brought in from outside.
    MarketBuy {
        token: AssetId,
        buyer: AccountId,
        amount_base_units: BaseUnits,
    },
    /// Publish a marketplace workflow; its Creator Epoch is locked forever.
    PublishWorkflow { creator: AccountId, epoch: u32 },
    /// Register an action path demonstrated by trainers.
    RegisterTrainerPath { trainers: Vec<TrainerWeight> },
    /// `count` actions of `version` run: tokens are consumed and split.
    Actions {
        payer: Payer,
        version: VersionId,
        count: u64,
        /// The marketplace workflow used, if any.
        workflow: Option<WorkflowId>,
        /// The trained action path used, if any.
        path: Option<PathId>,
    },
    /// Start a subscription to `plan` for one period.
    Subscribe {
        subscriber: AccountId,
        plan: PlanId,
        payment: Payment,
    },
    /// End a subscription's period: what remains in its escrow is released
    /// into the consumption split (the subscriber paid for the period).
    ExpireSubscription { subscription: SubscriptionId },
    /// Spend up to `usd_micros` of the buyback budget buying tokens at the
    /// current price; they are burned or stocked as the economy says.
    Buyback { usd_micros: BaseUnits },
}
