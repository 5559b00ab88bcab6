//! The CAISO day-ahead market as a merit-order auction: supply offers (the stack and DR bids) sorted
//! by price meet the forecast net load; the marginal offer sets the price.

/// One offer: who offers it, how many MW, at what price.
#[derive(Clone, Debug, PartialEq)]
pub struct Offer {
    /// Offer name (a DRP's name, or `stack` for the supply stack's steps).
    pub name: String,
    /// Quantity, MW.
    pub mw: f64,
    /// Price, $/MWh.
    pub price: f64,
}

/// The outcome of one hour's clearing.
#[derive(Clone, Debug, PartialEq)]
pub struct Clearing {
    /// Clearing price, $/MWh.
    pub price: f64,
    /// Accepted MW of each offer, in the order the offers were given.
    pub awards: Vec<f64>,
    /// Demand left unmet by every offer, MW.
    pub shortage_mw: f64,
}

/// Clears `demand_mw` against `offers` (merit order: price, then DR before the stack at equal
/// price, then name). Offers below the marginal one are accepted in full, the marginal one in
/// part; the price is the marginal offer's, or `cap` when supply runs out.
pub fn clear(offers: &[Offer], demand_mw: f64, cap: f64) -> Clearing {
    let mut order: Vec<usize> = (0..offers.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&offers[a], &offers[b]);
        x.price
            .total_cmp(&y.price)
            .then_with(|| (x.name == "stack").cmp(&(y.name == "stack")))
            .then_with(|| x.name.cmp(&y.name))
            .then_with(|| a.cmp(&b))
    });
    let mut awards = vec![0.0; offers.len()];
    let mut left = demand_mw.max(0.0);
    let mut price = offers.iter().map(|o| o.price).fold(0.0, f64::min);
    for i in order {
        if left <= 0.0 {
            break;
        }
        let take = offers[i].mw.max(0.0).min(left);
        if take > 0.0 {
            awards[i] = take;
            left -= take;
            price = offers[i].price;
        }
    }
    if left > 1e-9 {
        price = cap;
    }
    Clearing { price, awards, shortage_mw: left.max(0.0) }
}

/// The stack as offers.
pub fn stack_offers(stack: &[[f64; 2]]) -> Vec<Offer> {
    stack.iter().map(|s| Offer { name: "stack".into(), mw: s[0], price: s[1] }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(name: &str, mw: f64, price: f64) -> Offer {
        Offer { name: name.into(), mw, price }
    }

    #[test]
    fn a_hand_built_stack_clears_at_the_marginal_step_and_awards_cheaper_dr_in_full() {
        // Stack: 100 MW at $20, 50 MW at $80, 50 MW at $300. DR: A offers 30 MW at $100, B 40 MW at $500.
        let offers = vec![
            o("stack", 100.0, 20.0),
            o("stack", 50.0, 80.0),
            o("stack", 50.0, 300.0),
            o("A", 30.0, 100.0),
            o("B", 40.0, 500.0),
        ];
        // Demand 170 MW: 100 + 50 from the stack, then A's 20 of 30 MW sets the price at $100.
        let c = clear(&offers, 170.0, 1000.0);
        assert_eq!(c.price, 100.0);
        assert_eq!(c.awards, vec![100.0, 50.0, 0.0, 20.0, 0.0]);
        // Demand 200 MW: A in full, then 20 MW of the $300 step.
        let c = clear(&offers, 200.0, 1000.0);
        assert_eq!(c.price, 300.0);
        assert_eq!(c.awards, vec![100.0, 50.0, 20.0, 30.0, 0.0]);
        // Demand 260 MW: everything but 10 MW of B; B is marginal at $500.
        let c = clear(&offers, 260.0, 1000.0);
        assert_eq!((c.price, c.awards[4]), (500.0, 30.0));
        // Demand beyond all supply: scarcity price, shortage reported.
        let c = clear(&offers, 300.0, 1000.0);
        assert_eq!((c.price, c.shortage_mw), (1000.0, 30.0));
    }

    #[test]
    fn at_equal_prices_dr_is_accepted_before_the_stack() {
        let offers = vec![o("stack", 100.0, 50.0), o("A", 10.0, 50.0)];
        let c = clear(&offers, 50.0, 1000.0);
        assert_eq!(c.awards, vec![40.0, 10.0]);
    }
}
