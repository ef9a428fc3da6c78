import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../user-input';

/**
 * The instance settings clerk-js reads at load (`/v1/environment`). They describe exactly what
 * the stand-in serves, so that Clerk's components show no control that would lead nowhere:
 * email address with an email code, an optional password, first and last name, an optional
 * username, deleting one's own account, organizations (without domains). Everything else is off:
 * phone numbers, social and enterprise sign-in, passkeys, web3 wallets, second factors, billing,
 * API keys, captcha, waitlist, and adding or removing email addresses (each user has exactly one).
 */
const off = (name: string) => ({
  enabled: false,
  required: false,
  name,
  used_for_first_factor: false,
  first_factors: [],
  used_for_second_factor: false,
  second_factors: [],
  verifications: [],
  verify_at_sign_up: false,
});

export function environmentJson(applicationName: string) {
  return {
    object: 'environment',
    id: 'env_stand_in',
    auth_config: {
      object: 'auth_config',
      id: 'aac_stand_in',
      // One account per browser: no "Add account" in <UserButton/>.
      single_session_mode: true,
      claimed_at: null,
      reverification: false,
    },
    display_config: {
      object: 'display_config',
      id: 'display_config_stand_in',
      instance_environment_type: 'development',
      application_name: applicationName,
      // No "Secured by Clerk" and no "Development mode" badge: this is not a Clerk instance.
      branded: false,
      show_devmode_warning: false,
      captcha_public_key: null,
      captcha_widget_type: null,
      captcha_public_key_invisible: null,
      captcha_provider: 'turnstile',
      captcha_oauth_bypass: null,
      // An account with a password is asked for it first; one without gets an email code.
      preferred_sign_in_strategy: 'password',
      logo_image_url: '',
      favicon_image_url: '',
      home_url: '/',
      sign_in_url: '/sign-in',
      sign_up_url: '/sign-up',
      user_profile_url: '/profile',
      after_sign_in_url: '/',
      after_sign_up_url: '/',
      after_sign_out_one_url: '/',
      after_sign_out_all_url: '/',
      after_switch_session_url: '/',
      organization_profile_url: '',
      create_organization_url: '',
      after_leave_organization_url: '',
      after_create_organization_url: '',
      // <SignIn/>'s "Get help" mails this; without it Clerk makes one up on the key's (unreal) host.
      support_email: 'support@localhost',
      terms_url: '',
      privacy_policy_url: '',
      waitlist_url: '',
      after_join_waitlist_url: '',
      theme: { buttons: { font_color: '#ffffff', font_family: '', font_weight: '' }, general: {}, accounts: { background_color: '#ffffff' } },
    },
    user_settings: {
      attributes: {
        email_address: {
          enabled: true,
          required: true,
          name: 'email_address',
          used_for_first_factor: true,
          first_factors: ['email_code'],
          used_for_second_factor: false,
          second_factors: [],
          verifications: ['email_code'],
          verify_at_sign_up: true,
          // Hides "Add email address" and "Remove" in <UserProfile/>.
          immutable: true,
        },
        // Optional: an account may have one (set in <UserProfile/>, or by the admin API).
        password: { ...off('password'), enabled: true },
        first_name: { ...off('first_name'), enabled: true, required: true },
        last_name: { ...off('last_name'), enabled: true, required: true },
        username: { ...off('username'), enabled: true },
        phone_number: off('phone_number'),
        web3_wallet: off('web3_wallet'),
        authenticator_app: off('authenticator_app'),
        backup_code: off('backup_code'),
        passkey: off('passkey'),
      },
      actions: { delete_self: true, create_organization: true },
      social: {},
      enterprise_sso: { enabled: false, self_serve_sso: false },
      saml: { enabled: false },
      sign_in: { second_factor: { required: false, enabled: false } },
      sign_up: {
        captcha_enabled: false,
        captcha_widget_type: null,
        custom_action_required: false,
        progressive: true,
        mode: 'public',
        legal_consent_enabled: false,
        mfa: { required: false },
      },
      restrictions: {
        allowlist: { enabled: false },
        blocklist: { enabled: false },
        block_email_subaddresses: { enabled: false },
        block_disposable_email_domains: { enabled: false },
        ignore_dots_for_gmail_addresses: { enabled: false },
      },
      // clerk-js asks for at least 4 characters whatever the instance says; the stand-in accepts 3 to 64.
      username_settings: { min_length: 4, max_length: 64 },
      password_settings: {
        disable_hibp: true,
        min_length: PASSWORD_MIN_LENGTH,
        max_length: PASSWORD_MAX_LENGTH,
        require_special_char: false,
        require_numbers: false,
        require_uppercase: false,
        require_lowercase: false,
        show_zxcvbn: false,
        min_zxcvbn_strength: 0,
        enforce_hibp_on_sign_in: false,
        allowed_special_characters: '',
      },
      passkey_settings: { allow_autofill: false, show_sign_in_button: false },
      attack_protection: { enumeration_protection: { enabled: false } },
    },
    // Organizations with Clerk's two default roles, invitations without email, no domains.
    organization_settings: {
      enabled: true,
      // 0: no limit.
      max_allowed_memberships: 0,
      force_organization_selection: false,
      actions: { admin_delete: true },
      // Clerk's "default role for members": <OrganizationProfile/>'s invite form starts with it chosen.
      domains: { enabled: false, enrollment_modes: [], default_role: 'org:member' },
      slug: { disabled: false },
      organization_creation_defaults: { enabled: false },
    },
    commerce_settings: {
      billing: {
        stripe_publishable_key: null,
        organization: { enabled: false, has_paid_plans: false },
        user: { enabled: false, has_paid_plans: false },
      },
    },
    api_keys_settings: { enabled: false, user_api_keys_enabled: false, orgs_api_keys_enabled: false },
    protect_config: { object: 'protect_config', id: 'protect_config_stand_in' },
    maintenance_mode: false,
    client_debug_mode: false,
  };
}
