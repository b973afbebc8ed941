package jwt

// weakKey is a well-known HMAC key and where it comes from.
type weakKey struct{ key, source string }

// jwtTool is the wordlist conform takes most keys from: jwt_tool's jwt-common.txt, the list
// jwt_tool (github.com/ticarpi/jwt_tool) cracks HS256 tokens with, at the commit read. Only
// a few entries are copied, each named with its line, rather than bundling the whole list.
const jwtTool = "jwt_tool jwt-common.txt (ticarpi/jwt_tool@e4f380fe) line "

// weakKeys are keys found signing real tokens because a tutorial, a README or a debugger
// showed them. A target whose token verifies with one signs with a key anyone can try.
var weakKeys = []weakKey{
	{"secret", jwtTool + "1"},
	{"your-256-bit-secret", jwtTool + "86; the default HS256 key of the jwt.io debugger"},
	{"your-384-bit-secret", jwtTool + "87; the jwt.io debugger's HS384 key"},
	{"your-512-bit-secret", jwtTool + "88; the jwt.io debugger's HS512 key"},
	{"shhhhh", jwtTool + "71; the key of node-jsonwebtoken's README examples"},
	{"secretkey", jwtTool + "68"},
	{"secret_key", jwtTool + "66"},
	{"secret-key", jwtTool + "64"},
	{"secret123", jwtTool + "65"},
	{"mysecretkey", jwtTool + "60"},
	{"supersecret", jwtTool + "76"},
	{"password", jwtTool + "63"},
	{"key", jwtTool + "49"},
	{"jwt", jwtTool + "91"},
	{"jwt-secret", jwtTool + "92"},
	{"token", jwtTool + "80"},
	{"SecretKey", jwtTool + "22"},
	{"Super Secret Key", jwtTool + "25"},
	{"My super secret key!", jwtTool + "17"},
	{"ThisIsMySuperSecret", jwtTool + "27"},
	{"gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr9C", jwtTool + "43"},
	{"", "the empty key: a server whose key setting is unset signs with it"},
}
