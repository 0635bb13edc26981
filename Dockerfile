# Odoo 18 (official image) plus what the key-account suite and its tests need.
FROM odoo:18.0
USER root
COPY requirements.txt /tmp/key-account-requirements.txt
RUN apt-get update \
    && apt-get install -y --no-install-recommends make curl ca-certificates fonts-noto-cjk \
    && curl -fsSL -o /tmp/chrome.deb https://dl.google.com/linux/direct/google-chrome-stable_current_amd64.deb \
    && apt-get install -y --no-install-recommends /tmp/chrome.deb \
    && rm -rf /var/lib/apt/lists/* /tmp/chrome.deb \
    && pip3 install --no-cache-dir --break-system-packages -r /tmp/key-account-requirements.txt
USER odoo
