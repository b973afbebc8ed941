package reference

import (
	"fmt"
	"time"
)

// apikeyAccount is doc 001's Account schema, in its order. The required
// fields (accountName, accountId, id, name) are never omitted; Name is a
// pointer only so that apikey.account-missing-name can drop it.
type apikeyAccount struct {
	AccountName          string            `json:"accountName"`
	AccountID            string            `json:"accountId,omitempty"` // never empty but for apikey.accounts-item-missing-id
	UsersPrimaryAccount  bool              `json:"usersPrimaryAccount"`
	AccountAdmin         bool              `json:"accountAdmin"`
	ID                   string            `json:"id"`
	UniqueID             string            `json:"uniqueId"`
	Name                 *string           `json:"name,omitempty"`
	Repcode              string            `json:"repcode"`
	CustomerServicePhone string            `json:"customerServicePhone"`
	CustomerServiceEmail string            `json:"customerServiceEmail"`
	WhitelabelSettings   map[string]string `json:"whitelabelSettings"`
	Permissions          []string          `json:"permissions"`
	Roles                []string          `json:"roles"`
}

// apikeyLoginResponse is doc 001's ApiKeyLoginResponse, in its order. ID,
// CreatedAt and FlatRolesList are `any` and Email a pointer only for the
// breaks that mistype or drop them.
type apikeyLoginResponse struct {
	ID                  any             `json:"id"`
	Email               *string         `json:"email,omitempty"`
	CreatedBy           string          `json:"createdBy"`
	UpdatedBy           string          `json:"updatedBy"`
	CreatedAt           any             `json:"createdAt"`
	UpdatedAt           string          `json:"updatedAt"`
	PrimaryAccount      apikeyAccount   `json:"primaryAccount"`
	Accounts            []apikeyAccount `json:"accounts"`
	FlatRolesList       any             `json:"flatRolesList"`
	FlatPermissionsList []string        `json:"flatPermissionsList"`
	Token               string          `json:"token"`
}

// apikeyCreated is when every reference account was "created": fixed, so
// that answers are reproducible.
var apikeyCreated = time.Date(2024, 1, 15, 9, 30, 0, 0, time.UTC)

// loginResponse builds u's answer. Each user has one account, its primary
// one; updatedAt is the login time, as logging in touches the key.
func (h *apikey) loginResponse(u *User, token string, now time.Time) apikeyLoginResponse {
	roles := []string{"user"}
	perms := []string{"read", "write"}
	acct := apikeyAccount{
		AccountName:          u.Name + " Account",
		AccountID:            fmt.Sprintf("acct-%d", u.ID),
		UsersPrimaryAccount:  true,
		AccountAdmin:         true,
		ID:                   fmt.Sprintf("acct-%d", u.ID),
		UniqueID:             u.UID,
		Name:                 new(u.Name),
		Repcode:              fmt.Sprintf("REP%03d", u.ID),
		CustomerServicePhone: "+15550100000",
		CustomerServiceEmail: "support@example.com",
		WhitelabelSettings:   map[string]string{},
		Permissions:          perms,
		Roles:                roles,
	}
	resp := apikeyLoginResponse{
		ID:                  u.ID,
		Email:               new(u.Email),
		CreatedBy:           "system",
		UpdatedBy:           u.Email,
		CreatedAt:           apikeyCreated.Format(time.RFC3339),
		UpdatedAt:           now.UTC().Format(time.RFC3339),
		PrimaryAccount:      acct,
		Accounts:            []apikeyAccount{acct},
		FlatRolesList:       roles,
		FlatPermissionsList: perms,
		Token:               token,
	}
	if h.brk.laterUserSchema && u != h.e.users.first() {
		resp.ID, resp.CreatedAt, resp.Email, resp.FlatRolesList = fmt.Sprint(u.ID), "yesterday", nil, "user"
		resp.PrimaryAccount.Name = nil
	}
	if h.brk.idString {
		resp.ID = fmt.Sprint(u.ID)
	}
	if h.brk.badDate {
		resp.CreatedAt = "yesterday"
	}
	if h.brk.missingEmail {
		resp.Email = nil
	}
	if h.brk.badUpdatedDate {
		resp.UpdatedAt = "today"
	}
	if h.brk.dateSQL {
		resp.CreatedAt = apikeyCreated.Format(time.DateTime)
	}
	if h.brk.dateNoOffset {
		resp.UpdatedAt = now.UTC().Format("2006-01-02T15:04:05")
	}
	if h.brk.accountsItemNoID {
		item := acct
		item.AccountID = ""
		resp.Accounts = []apikeyAccount{item}
	}
	if h.brk.accountMissingName {
		resp.PrimaryAccount.Name = nil // a copy: accounts[0] keeps its name
	}
	return resp
}
