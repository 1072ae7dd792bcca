/** The documents lab nodes start from, and the require-login variant of a document. */
import { ipMatches } from "../safesquid/access.js";
import { entries, formatPolicy, parsePolicy } from "../safesquid/policy.js";
import { child, el } from "../safesquid/xml.js";

/**
 * Makes every enabled allow row that names 127.0.0.1 ask for a login (pamauth TRUE), so the
 * tool itself must send proxy credentials (the lab's require-login mode).
 */
export function requireLoginForLocal(text: string): string {
  const root = parsePolicy(text);
  const access = child(root, "access");
  for (const row of access ? entries(access, "allow") : []) {
    const ip = child(row, "ip");
    const ipText = ip ? ip.children.filter((c) => typeof c === "string").join("") : "";
    if (ipText.trim() === "" || !ipMatches(ipText, "127.0.0.1")) continue;
    const pam = child(row, "pamauth");
    if (pam) pam.children = ["TRUE"];
    else row.children.splice(row.children.indexOf(ip!) + 1, 0, el("pamauth", {}, ["TRUE"]));
  }
  return formatPolicy(root);
}
