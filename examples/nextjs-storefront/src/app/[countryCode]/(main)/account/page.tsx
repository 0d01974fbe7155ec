import { getCustomer } from "@lib/data"
import { logCustomerIn, logCustomerOut } from "@modules/account/actions"

type Props = { params: { countryCode: string }; searchParams: { error?: string } }

export default async function AccountPage({ params, searchParams }: Props) {
  const customer = await getCustomer()
  if (customer) {
    return (
      <div className="content-container py-8" data-testid="account">
        <p className="text-base-regular">
          Logged in as <span data-testid="customer-email">{customer.email}</span>
        </p>
        <form action={logCustomerOut} className="mt-4">
          <input type="hidden" name="countryCode" value={params.countryCode} />
          <button className="underline text-small-regular">Log out</button>
        </form>
      </div>
    )
  }
  return (
    <div className="content-container py-8 max-w-sm">
      <h1 className="text-large-semi mb-4">Welcome back</h1>
      <form action={logCustomerIn} className="flex flex-col gap-y-2" data-testid="login-form">
        <input type="hidden" name="countryCode" value={params.countryCode} />
        <input name="email" type="email" required placeholder="Email" className="border border-ui-border-base rounded px-3 py-2" />
        <input name="password" type="password" required placeholder="Password" className="border border-ui-border-base rounded px-3 py-2" />
        {searchParams.error ? <p className="text-small-regular text-red-600">Wrong email or password.</p> : null}
        <button type="submit" className="mt-2 rounded bg-ui-fg-base text-white py-2">
          Sign in
        </button>
      </form>
    </div>
  )
}
