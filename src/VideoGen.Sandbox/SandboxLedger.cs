namespace VideoGen.Sandbox;

/// <summary>
/// The credit balance of every API key at every vendor, in the vendor's own unit (Elumenta tokens, gateway
/// credits, AI/ML tokens, USD for Oxen). A key starts with <see cref="SandboxOptions.InitialCredits"/>; a job
/// is charged its catalog price when it is accepted and refunded when it fails or is cancelled. A submission
/// is refused with the vendor's "insufficient credits" answer when the balance is zero or below the price.
/// Keys are held only as one-way fingerprints. Thread-safe.
/// </summary>
public sealed class SandboxLedger
{
    private readonly object _gate = new();
    private readonly Dictionary<(string Vendor, string Owner), decimal> _balances = [];
    private readonly Func<string, decimal> _initial;
    private readonly Action _settle;

    internal SandboxLedger(Func<string, decimal> initialCredits, Action settleDueJobs)
    {
        _initial = initialCredits;
        _settle = settleDueJobs;
    }

    /// <summary>The balance of <paramref name="apiKey"/> at <paramref name="vendor"/>, after refunds of jobs that have failed by now.</summary>
    /// <param name="vendor">The vendor id (<see cref="SandboxVendors"/>; <c>neuralbox</c> is read as <c>elumenta</c>).</param>
    /// <param name="apiKey">The API key.</param>
    /// <returns>The balance, in the vendor's unit.</returns>
    /// <exception cref="ArgumentException">The vendor is unknown or the key is empty.</exception>
    public decimal GetBalance(string vendor, string apiKey)
    {
        var account = Account(vendor, apiKey);
        _settle();
        lock (_gate)
        {
            return BalanceOf(account);
        }
    }

    /// <summary>Sets the balance of <paramref name="apiKey"/> at <paramref name="vendor"/>.</summary>
    /// <param name="vendor">The vendor id.</param>
    /// <param name="apiKey">The API key.</param>
    /// <param name="amount">The new balance, in the vendor's unit; 0 makes the next submission fail with the vendor's 402.</param>
    /// <exception cref="ArgumentException">The vendor is unknown, the key is empty or the amount is negative.</exception>
    public void SetBalance(string vendor, string apiKey, decimal amount)
    {
        var account = Account(vendor, apiKey);
        if (amount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "A balance cannot be negative; use 0 or more.");
        }

        lock (_gate)
        {
            _balances[account] = amount;
        }
    }

    /// <summary>Adds <paramref name="amount"/> to the balance of <paramref name="apiKey"/> at <paramref name="vendor"/>.</summary>
    /// <param name="vendor">The vendor id.</param>
    /// <param name="apiKey">The API key.</param>
    /// <param name="amount">The amount to add, in the vendor's unit (more than 0).</param>
    /// <returns>The new balance.</returns>
    /// <exception cref="ArgumentException">The vendor is unknown, the key is empty or the amount is not positive.</exception>
    public decimal TopUp(string vendor, string apiKey, decimal amount)
    {
        var account = Account(vendor, apiKey);
        if (amount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "A top-up must be more than 0.");
        }

        lock (_gate)
        {
            var balance = BalanceOf(account) + amount;
            _balances[account] = balance;
            return balance;
        }
    }

    /// <summary>Charges <paramref name="price"/> unless the balance is zero or too low.</summary>
    internal bool TryCharge(string vendor, string owner, decimal price, out decimal balance)
    {
        _settle();
        lock (_gate)
        {
            balance = BalanceOf((vendor, owner));
            if (balance <= 0 || balance < price)
            {
                return false;
            }

            balance -= price;
            _balances[(vendor, owner)] = balance;
            return true;
        }
    }

    internal void Refund(string vendor, string owner, decimal amount)
    {
        if (amount <= 0)
        {
            return;
        }

        lock (_gate)
        {
            _balances[(vendor, owner)] = BalanceOf((vendor, owner)) + amount;
        }
    }

    internal decimal BalanceOf(string vendor, string owner)
    {
        _settle();
        lock (_gate)
        {
            return BalanceOf((vendor, owner));
        }
    }

    private decimal BalanceOf((string Vendor, string Owner) account) =>
        _balances.TryGetValue(account, out var balance) ? balance : _initial(account.Vendor);

    private static (string, string) Account(string vendor, string apiKey)
    {
        var id = SandboxVendors.Normalize(vendor);
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        return (id, Core.ApiKeys.Fingerprint(apiKey));
    }
}
