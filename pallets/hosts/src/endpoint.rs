//! Validation of host endpoint URLs.
//!
//! The endpoint is where validators fetch sprint proofs and where the router sends inference, so
//! the chain only accepts URLs every client can parse the same way: `http://` or `https://`, a
//! host (DNS name, IPv4 address or bracketed IPv6 address), an explicit port and an optional
//! path. User info (`user:pass@`), query strings, fragments, whitespace and non-ASCII bytes are
//! rejected: they are never needed to reach a worker and are classic sources of parser
//! confusion between clients. The length bound comes from the
//! [`Endpoint`](gonka_primitives::hosts::Endpoint) type itself.

/// Whether `url` is an acceptable host endpoint (see the module docs for the grammar).
pub fn is_valid_endpoint(url: &[u8]) -> bool {
	check(url).is_some()
}

fn check(url: &[u8]) -> Option<()> {
	let rest = url.strip_prefix(b"https://").or_else(|| url.strip_prefix(b"http://"))?;
	let (authority, path) = match rest.iter().position(|&c| c == b'/') {
		Some(i) => rest.split_at(i),
		None => (rest, &[][..]),
	};
	// Path: visible ASCII, no query or fragment.
	if !path.iter().all(|&c| (0x21..=0x7e).contains(&c) && c != b'?' && c != b'#') {
		return None;
	}
	let (host, port) = if let Some(bracketed) = authority.strip_prefix(b"[") {
		let close = bracketed.iter().position(|&c| c == b']')?;
		let (host, after) = bracketed.split_at(close);
		let port = after[1..].strip_prefix(b":")?;
		if host.is_empty()
			|| !host.contains(&b':')
			|| !host.iter().all(|&c| c.is_ascii_hexdigit() || c == b':' || c == b'.')
		{
			return None;
		}
		(None, port)
	} else {
		let colon = authority.iter().rposition(|&c| c == b':')?;
		let (host, port) = authority.split_at(colon);
		(Some(host), &port[1..])
	};
	if let Some(host) = host {
		check_dns_or_ipv4(host)?;
	}
	check_port(port)
}

/// DNS name or dotted IPv4: labels of letters, digits and inner hyphens, 1..=63 bytes each,
/// 253 bytes in all.
fn check_dns_or_ipv4(host: &[u8]) -> Option<()> {
	if host.is_empty() || host.len() > 253 {
		return None;
	}
	for label in host.split(|&c| c == b'.') {
		let ok = !label.is_empty()
			&& label.len() <= 63
			&& label.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'-')
			&& label[0] != b'-'
			&& label[label.len() - 1] != b'-';
		if !ok {
			return None;
		}
	}
	Some(())
}

/// Decimal port in `1..=65535`, at most five digits.
fn check_port(port: &[u8]) -> Option<()> {
	if port.is_empty() || port.len() > 5 || !port.iter().all(u8::is_ascii_digit) {
		return None;
	}
	let value = port.iter().fold(0u32, |acc, &d| acc * 10 + u32::from(d - b'0'));
	(1..=65_535).contains(&value).then_some(())
}

#[cfg(test)]
mod tests {
	use super::is_valid_endpoint as ok;

	#[test]
	fn accepts_well_formed_urls() {
		for url in [
			"http://worker.example.com:8080",
			"https://worker.example.com:443/",
			"https://10.0.0.1:9000/v1",
			"http://[2001:db8::1]:8080/api/v1",
			"http://localhost:1",
			"https://a-b.c-d.io:65535/x-y_z.~",
		] {
			assert!(ok(url.as_bytes()), "{url}");
		}
	}

	#[test]
	fn rejects_malformed_urls() {
		for url in [
			"",
			"worker.example.com:8080",
			"ftp://worker.example.com:21",
			"HTTP://worker.example.com:80",
			"http://worker.example.com",
			"http://worker.example.com:",
			"http://worker.example.com:0",
			"http://worker.example.com:65536",
			"http://worker.example.com:123456",
			"http://worker.example.com:80a",
			"http://:8080",
			"http://user:pass@host:8080",
			"http://-bad.example:80",
			"http://bad-.example:80",
			"http://a..b:80",
			"http://host:80/with space",
			"http://host:80/q?x=1",
			"http://host:80/#frag",
			"http://[]:80",
			"http://[2001:db8::1]",
			"http://[2001:db8::1]8080",
			"http://[zz::1]:80",
			"http://hö.st:80",
		] {
			assert!(!ok(url.as_bytes()), "{url}");
		}
		let long_label = alloc::format!("http://{}.com:80", "a".repeat(64));
		assert!(!ok(long_label.as_bytes()));
	}
}
