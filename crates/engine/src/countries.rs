//! ISO 3166-1 alpha-2 codes of the countries where the synthetic service "operates": 190 of them,
//! the larger markets first (the synthetic audience shrinks along this list).

pub const COUNTRY_CODES: [&str; 190] = [
    "US", "BR", "GB", "DE", "FR", "MX", "CA", "IN", "JP", "KR", "ES", "IT", "AU", "AR", "PL", "TR", "NL", "CO", "ID",
    "PH", "CL", "SE", "PE", "TH", "BE", "ZA", "SA", "EG", "MY", "TW", "VN", "CH", "AT", "PT", "IE", "DK", "NO", "FI",
    "NZ", "IL", "AE", "GR", "CZ", "RO", "HU", "UA", "NG", "KE", "EC", "VE", "GT", "DO", "CR", "PA", "UY", "BO", "PY",
    "SV", "HN", "NI", "PR", "JM", "TT", "SG", "HK", "PK", "BD", "LK", "MA", "DZ", "TN", "JO", "LB", "KW", "QA", "BH",
    "OM", "AD", "AF", "AG", "AL", "AM", "AO", "AZ", "BA", "BB", "BF", "BG", "BI", "BJ", "BN", "BS", "BT", "BW", "BY",
    "BZ", "CD", "CF", "CG", "CI", "CM", "CV", "CY", "DJ", "DM", "EE", "ER", "ET", "FJ", "FM", "GA", "GD", "GE", "GH",
    "GM", "GN", "GQ", "GW", "GY", "HR", "HT", "IQ", "IS", "KG", "KH", "KI", "KM", "KN", "KZ", "LA", "LC", "LI", "LR",
    "LS", "LT", "LU", "LV", "LY", "MC", "MD", "ME", "MG", "MH", "MK", "ML", "MN", "MR", "MT", "MU", "MV", "MW", "MZ",
    "NA", "NE", "NP", "NR", "PG", "PW", "RS", "RW", "SB", "SC", "SI", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST",
    "SZ", "TD", "TG", "TJ", "TL", "TM", "TO", "TV", "TZ", "UG", "UZ", "VC", "WS", "ZM", "ZW", "VU", "AW", "BM", "KY",
];

#[cfg(test)]
mod tests {
    use super::COUNTRY_CODES;

    #[test]
    fn codes_are_distinct_two_letter_upper_case() {
        let mut seen = std::collections::BTreeSet::new();
        for code in COUNTRY_CODES {
            assert!(code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()), "{code}");
            assert!(seen.insert(code), "duplicate {code}");
        }
    }
}
